import { useEffect, useRef, useState } from 'react';
import { type ReplayFrameMessage, timeOfArchiveTimestamp } from '../../../shared/replay.js';
import { useLoad } from '../hooks/use-load.js';
import { formatTime, t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { UrlText } from './text.js';

/** What the replay frame last said. */
type FrameState =
  | { kind: 'loading' }
  | { kind: 'page'; url: string; archivedAt: string | null; title: string }
  | { kind: 'error'; message: string };

function isFrameMessage(data: unknown): data is ReplayFrameMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'custos-replay';
}

/**
 * The item viewer's Replay tab: the captured page rebuilt from the item's stored WARC by
 * Webrecorder's replay engine, on the replay origin (never the app's), under a banner that says it
 * is the archive and not the live page. An item without a WARC gets a message, never a blank frame.
 */
export function ReplayPanel({ itemId }: Readonly<{ itemId: string }>) {
  const replay = useLoad(() => call('getReplay', { itemId }), [itemId]);
  const frame = useRef<HTMLIFrameElement>(null);
  const [state, setState] = useState<FrameState>({ kind: 'loading' });

  useEffect(() => {
    // Only the frame this panel made may report (its origin is the replay's, never the app's).
    const onMessage = (event: MessageEvent) => {
      if (event.source !== frame.current?.contentWindow || !isFrameMessage(event.data)) return;
      const data = event.data;
      if (data.state === 'page') {
        setState({
          kind: 'page',
          url: data.url,
          archivedAt: timeOfArchiveTimestamp(data.ts),
          title: data.title,
        });
      } else if (data.state === 'error') setState({ kind: 'error', message: data.message });
      else setState({ kind: 'loading' });
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);

  if (replay.error) return <div className="error-box">{replay.error.message}</div>;
  const view = replay.value;
  if (!view) return <div className="empty-state">{t('common.loading')}</div>;
  if (!view.available) {
    return (
      <div className="empty-state replay-unavailable" role="status">
        {t(view.reason === 'no-warc' ? 'replay.noWarc' : 'replay.noReplay')}
      </div>
    );
  }
  return (
    <div className="replay">
      <div className="replay-banner" role="note" aria-label={t('replay.bannerLabel')}>
        <strong>{t('replay.bannerTitle')}</strong>
        <span>{t('replay.bannerDetail', { time: formatTime(view.capturedAt) })}</span>
        {state.kind === 'page' && (
          <span className="replay-current">
            {t('replay.showing')} <UrlText url={state.url} />
            {state.archivedAt && ` · ${t('replay.archivedAt', { time: formatTime(state.archivedAt) })}`}
          </span>
        )}
      </div>
      {state.kind === 'loading' && (
        <div className="replay-status muted" role="status">
          {t('replay.loading')}
        </div>
      )}
      {state.kind === 'error' && (
        <div className="error-box" role="alert">
          {t('replay.failed', { message: state.message })}
        </div>
      )}
      <iframe
        ref={frame}
        className="replay-frame"
        src={view.frameUrl}
        title={t('replay.frameTitle')}
        // Scripts of the replayed page run on the replay origin; no pop-ups, no top navigation, no dialogs.
        sandbox="allow-scripts allow-same-origin"
        referrerPolicy="no-referrer"
      />
    </div>
  );
}
