import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { t } from '../i18n/i18n.js';
import { Icon } from './icons.js';

/** A short message after an action: what happened, and the hash to note down. */
export interface Notice {
  readonly tone: 'good' | 'bad' | 'info';
  readonly title: string;
  readonly body?: ReactNode;
}

interface NoticeEntry extends Notice {
  readonly id: number;
}

const NoticeContext = createContext<(notice: Notice) => void>(() => undefined);

/** Shows notices in the corner; errors stay until closed, others for a while. */
export function NoticeProvider({ children }: Readonly<{ children: ReactNode }>) {
  const [entries, setEntries] = useState<readonly NoticeEntry[]>([]);
  const dismiss = useCallback((id: number) => setEntries((list) => list.filter((n) => n.id !== id)), []);
  const show = useCallback(
    (notice: Notice) => {
      const id = Date.now() + Math.random();
      setEntries((list) => [...list.slice(-3), { ...notice, id }]);
      if (notice.tone !== 'bad') setTimeout(() => dismiss(id), 12_000);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <NoticeContext.Provider value={value}>
      {children}
      <div className="notices" aria-live="polite">
        {entries.map((n) => (
          <div key={n.id} className={`notice ${n.tone}`} role={n.tone === 'bad' ? 'alert' : 'status'}>
            <div className="body">
              <div className="title">{n.title}</div>
              {n.body}
            </div>
            <button
              type="button"
              className="close"
              aria-label={t('common.close')}
              onClick={() => dismiss(n.id)}
            >
              <Icon name="cross" size={14} />
            </button>
          </div>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}

/** The function that shows a notice. */
export function useNotice(): (notice: Notice) => void {
  return useContext(NoticeContext);
}
