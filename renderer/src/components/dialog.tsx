import { type ReactNode, useEffect, useRef } from 'react';
import { t } from '../i18n/i18n.js';
import { Icon } from './icons.js';

/** A modal dialog; Escape closes it unless `busy`, and focus starts inside it. */
export function Dialog({
  title,
  children,
  footer,
  onClose,
  busy = false,
}: Readonly<{
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  onClose: () => void;
  busy?: boolean;
}>) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>(
      'textarea, input, select, button:not(.dialog-close)',
    );
    first?.focus();
  }, []);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere in the dialog closes it
    <div
      className="dialog-backdrop"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !busy) {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <div className="dialog-head">
          <h2>{title}</h2>
          <span className="spacer" />
          <button
            type="button"
            className="btn icon dialog-close"
            aria-label={t('common.close')}
            disabled={busy}
            onClick={onClose}
          >
            <Icon name="cross" />
          </button>
        </div>
        <div className="dialog-body">{children}</div>
        {footer && <div className="dialog-foot">{footer}</div>}
      </div>
    </div>
  );
}
