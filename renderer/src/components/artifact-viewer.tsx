import { useEffect, useState } from 'react';
import type { ArtifactRecord } from '../../../shared/domain.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { Icon } from './icons.js';
import { ReplayPanel } from './replay-panel.js';

/** An artifact's bytes as something the page can show: an object URL for images and videos, text for text. */
type Loaded =
  | { kind: 'image'; url: string }
  | { kind: 'video'; url: string }
  | { kind: 'text'; text: string }
  | { kind: 'error'; message: string };

function useArtifact(itemId: string, artifact: ArtifactRecord | undefined): Loaded | null {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    if (!artifact) return;
    let live = true;
    let url: string | null = null;
    setLoaded(null);
    call('getArtifact', { itemId, sha256: artifact.sha256 }).then(
      (data) => {
        if (!live) return;
        const bytes = Uint8Array.from(atob(data.base64), (c) => c.charCodeAt(0));
        const media = isVideo(data.mediaType)
          ? 'video'
          : data.mediaType.startsWith('image/')
            ? 'image'
            : null;
        if (media) {
          url = URL.createObjectURL(new Blob([bytes], { type: data.mediaType }));
          setLoaded({ kind: media, url });
        } else setLoaded({ kind: 'text', text: new TextDecoder('utf-8').decode(bytes) });
      },
      (e: unknown) => live && setLoaded({ kind: 'error', message: (e as Error).message }),
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [itemId, artifact]);
  return loaded;
}

/** Videos the app's Chromium plays: a live view's recording (WebM), an imported clip. */
function isVideo(mediaType: string): boolean {
  return /^video\/(webm|mp4|ogg)$/.test(mediaType);
}

const ZOOMS = [0.25, 0.5, 0.75, 1, 1.5, 2] as const;

/** The tab shown: an artifact, or the replay of the captured page. */
type ViewerTab = ArtifactRecord | 'replay' | undefined;

/**
 * The screenshot viewer: fits the page's width by default, zooms in steps (+/−, 0 to fit) and
 * scrolls through pages of any height. Text artifacts are shown as captured, right-to-left
 * paragraphs included. A web capture (`replay`) also gets a Replay tab: the page rebuilt from its WARC.
 */
export function ArtifactViewer({
  itemId,
  artifacts,
  replay,
}: Readonly<{ itemId: string; artifacts: readonly ArtifactRecord[]; replay: boolean }>) {
  const viewable = artifacts.filter(
    (a) =>
      a.mediaType.startsWith('image/') ||
      isVideo(a.mediaType) ||
      a.role === 'text' ||
      a.mediaType.startsWith('text/plain'),
  );
  const [tab, setTab] = useState<ViewerTab>(
    () => viewable.find((a) => a.role === 'screenshot' || a.role === 'video') ?? viewable[0],
  );
  const chosen = tab === 'replay' ? undefined : tab;
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const loaded = useArtifact(itemId, chosen);

  const step = (direction: 1 | -1) => {
    const current = zoom === 'fit' ? 1 : zoom;
    const index = ZOOMS.findIndex((z) => z >= current);
    const next =
      ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, (index === -1 ? ZOOMS.length - 1 : index) + direction))];
    setZoom(next ?? 1);
  };

  const onKey = (event: React.KeyboardEvent) => {
    if (event.key === '+' || event.key === '=') step(1);
    else if (event.key === '-') step(-1);
    else if (event.key === '0') setZoom('fit');
    else return;
    event.preventDefault();
  };

  return (
    <section className="viewer" aria-label={t('viewer.label')}>
      <div className="viewer-bar">
        <div className="tabs" role="tablist">
          {viewable.map((a) => (
            <button
              key={a.sha256 + a.role}
              type="button"
              role="tab"
              aria-selected={a === chosen}
              onClick={() => {
                setTab(a);
                setNatural(null);
              }}
            >
              {t(`role.${a.role}`)}
              {/* Two pictures of one role (a video's first and last frame) are told apart by name. */}
              {viewable.filter((b) => b.role === a.role).length > 1 && ` · ${a.name}`}
            </button>
          ))}
          {replay && (
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'replay'}
              onClick={() => setTab('replay')}
            >
              {t('viewer.replayTab')}
            </button>
          )}
        </div>
        <span className="spacer" />
        {chosen && loaded?.kind === 'image' && (
          // One group: on a narrow viewer it moves to a line of its own, whole, never under the side panel.
          <span className="viewer-tools">
            {natural && (
              <span className="muted mono" style={{ fontSize: 11.5 }}>
                {natural.width} × {natural.height} px
              </span>
            )}
            <button
              type="button"
              className="btn icon small"
              aria-label={t('viewer.zoomOut')}
              onClick={() => step(-1)}
            >
              <Icon name="zoomOut" size={14} />
            </button>
            <button
              type="button"
              className="btn small"
              onClick={() => setZoom('fit')}
              aria-pressed={zoom === 'fit'}
            >
              {zoom === 'fit' ? t('viewer.fit') : `${Math.round(zoom * 100)}%`}
            </button>
            <button
              type="button"
              className="btn icon small"
              aria-label={t('viewer.zoomIn')}
              onClick={() => step(1)}
            >
              <Icon name="zoomIn" size={14} />
            </button>
          </span>
        )}
      </div>
      {tab === 'replay' ? (
        <section className="viewer-replay" aria-label={t('viewer.replayTab')}>
          {/* A panel per item: another item's frame state starts over. */}
          <ReplayPanel key={itemId} itemId={itemId} />
        </section>
      ) : (
        <ArtifactCanvas onKey={onKey}>
          {!chosen && <div className="empty-state">{t('viewer.nothing')}</div>}
          {chosen && !loaded && <div className="empty-state">{t('common.loading')}</div>}
          {loaded?.kind === 'error' && <div className="error-box">{loaded.message}</div>}
          {loaded?.kind === 'text' && (
            <pre className="viewer-text bidi" dir="auto">
              {loaded.text}
            </pre>
          )}
          {loaded?.kind === 'video' && (
            // biome-ignore lint/a11y/useMediaCaption: a recording of a web page has no captions to offer
            <video
              className="viewer-video"
              src={loaded.url}
              controls
              preload="metadata"
              aria-label={t('viewer.videoLabel')}
            />
          )}
          {loaded?.kind === 'image' && (
            <img
              src={loaded.url}
              alt={t('viewer.imageAlt', { role: chosen ? t(`role.${chosen.role}`) : '' })}
              onLoad={(e) =>
                setNatural({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })
              }
              style={
                zoom === 'fit'
                  ? { maxWidth: '100%' }
                  : { width: natural ? natural.width * zoom : undefined, maxWidth: 'none' }
              }
            />
          )}
        </ArtifactCanvas>
      )}
    </section>
  );
}

/** The scrolled area an artifact is shown in; it takes the zoom keys. */
function ArtifactCanvas({
  onKey,
  children,
}: Readonly<{ onKey: (event: React.KeyboardEvent) => void; children: React.ReactNode }>) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the canvas scrolls with the keyboard and takes zoom keys
    <section className="viewer-canvas" tabIndex={0} onKeyDown={onKey} aria-label={t('viewer.canvas')}>
      {children}
    </section>
  );
}
