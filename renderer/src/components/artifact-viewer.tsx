import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { decodeText } from '../../../shared/decode-text.js';
import type { ArtifactRecord } from '../../../shared/domain.js';
import type { ItemPictureText, PictureReading } from '../../../shared/ocr.js';
import type { ItemSelectorMarks } from '../../../shared/selectors.js';
import { asSentence, t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { pictureName } from './entity-text.js';
import { Icon } from './icons.js';
import { LiveRegion } from './live-region.js';
import { PictureTextOverlay } from './picture-text-overlay.js';
import { ReplayPanel } from './replay-panel.js';
import { UntrustedText } from './text.js';

/**
 * What the viewer can show: an artifact of the item, or a picture of a captured page (an image of
 * its WARC) that text recognition read, so that its recognised lines can be shown on it.
 */
export type ViewedPicture =
  | { readonly kind: 'artifact'; readonly artifact: ArtifactRecord }
  | { readonly kind: 'page-image'; readonly sha256: string; readonly uri: string | null };

function viewedSha256(viewed: ViewedPicture): string {
  return viewed.kind === 'artifact' ? viewed.artifact.sha256 : viewed.sha256;
}

function viewedLabel(viewed: ViewedPicture, all: readonly ViewedPicture[]): string {
  if (viewed.kind === 'page-image') {
    return `${t('viewer.pageImage')} · ${pictureName({ uri: viewed.uri, role: 'page-image' })}`;
  }
  const a = viewed.artifact;
  // Two pictures of one role (a video's first and last frame) are told apart by name.
  const twins = all.filter((b) => b.kind === 'artifact' && b.artifact.role === a.role).length > 1;
  return `${t(`role.${a.role}`)}${twins ? ` · ${a.name}` : ''}`;
}

/** An artifact's bytes as something the page can show: an object URL for images and videos, text for text. */
type Loaded =
  | { kind: 'image'; url: string }
  | { kind: 'video'; url: string }
  | { kind: 'text'; text: string }
  | { kind: 'error'; message: string };

function useViewed(itemId: string, viewed: ViewedPicture | undefined): Loaded | null {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  // The same picture in a list made again (its recognised text arrived) is not loaded again.
  const key = viewed ? viewedKey(viewed) : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names the picture `viewed` is
  useEffect(() => {
    if (!viewed) return;
    let live = true;
    let url: string | null = null;
    setLoaded(null);
    const sha256 = viewedSha256(viewed);
    const bytes =
      viewed.kind === 'artifact'
        ? call('getArtifact', { itemId, sha256 })
        : call('getPageImage', { itemId, sha256 });
    bytes.then(
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
        } else setLoaded({ kind: 'text', text: decodeText(bytes, data.mediaType).text });
      },
      (e: unknown) => live && setLoaded({ kind: 'error', message: (e as Error).message }),
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [itemId, key]);
  return loaded;
}

/** Videos the app's Chromium plays: a live view's recording (WebM), an imported clip. */
function isVideo(mediaType: string): boolean {
  return /^video\/(webm|mp4|ogg)$/.test(mediaType);
}

const ZOOMS = [0.25, 0.5, 0.75, 1, 1.5, 2] as const;

/**
 * The screenshot viewer: fits the page's width by default, zooms in steps (+/−, 0 to fit) and
 * scrolls through pages of any height. Text artifacts are shown as captured, right-to-left
 * paragraphs included, with the selectors they hold marked. A picture whose text was recognised
 * shows its lines as boxes (a toggle), those holding a selector highlighted; a captured page's
 * own pictures that were read are offered as tabs too. A web capture (`replay`) also gets a Replay
 * tab: the page rebuilt from its WARC.
 */
export function ArtifactViewer({
  itemId,
  artifacts,
  replay,
  pictureText,
  marks,
  marksFailure,
}: Readonly<{
  itemId: string;
  artifacts: readonly ArtifactRecord[];
  replay: boolean;
  pictureText?: ItemPictureText | null;
  /** The selectors' marks: undefined until answered (text and a picture's lines wait for them), null when unread. */
  marks?: ItemSelectorMarks | null;
  /** Why the marks could not be read: the text and lines are then shown unmarked, with this said. */
  marksFailure?: string;
}>) {
  const viewable = useViewable(artifacts, pictureText);
  const [chosen, setChosen] = useState<ViewedPicture | undefined>(undefined);
  const [replaying, setReplaying] = useState(false);
  const shown = replaying
    ? undefined
    : (chosen ??
      viewable.find(
        (v) => v.kind === 'artifact' && (v.artifact.role === 'screenshot' || v.artifact.role === 'video'),
      ) ??
      viewable[0]);
  const [showLines, setShowLines] = useState(true);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const loaded = useViewed(itemId, shown);
  const reading = shown ? pictureText?.pictures.find((p) => p.sha256 === viewedSha256(shown)) : undefined;
  const readable = loaded?.kind === 'image' && reading !== undefined && reading.lines.length > 0;
  // Text and a picture's lines are drawn once the marks have answered (or failed: then unmarked),
  // never unmarked first and redrawn marked a moment later (a flash, read twice by a screen reader).
  const marksAnswered = marks !== undefined;

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
          {viewable.map((v) => (
            <button
              key={viewedKey(v)}
              type="button"
              role="tab"
              aria-selected={shown !== undefined && viewedKey(v) === viewedKey(shown)}
              onClick={() => {
                setChosen(v);
                setReplaying(false);
                setNatural(null);
              }}
            >
              <UntrustedText text={viewedLabel(v, viewable)} />
            </button>
          ))}
          {replay && (
            <button type="button" role="tab" aria-selected={replaying} onClick={() => setReplaying(true)}>
              {t('viewer.replayTab')}
            </button>
          )}
        </div>
        <span className="spacer" />
        {shown && loaded?.kind === 'image' && (
          // One group: on a narrow viewer it moves to a line of its own, whole, never under the side panel.
          <span className="viewer-tools">
            {readable && (
              <button
                type="button"
                className="btn small"
                aria-pressed={showLines}
                title={t('viewer.recognisedHint')}
                onClick={() => setShowLines(!showLines)}
              >
                <Icon name="textBoxes" size={14} />
                {t('viewer.recognised', { count: reading.lines.length })}
              </button>
            )}
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
      {replaying ? (
        <section className="viewer-replay" aria-label={t('viewer.replayTab')}>
          {/* A panel per item: another item's frame state starts over. */}
          <ReplayPanel key={itemId} itemId={itemId} />
        </section>
      ) : (
        <ArtifactCanvas onKey={onKey}>
          {!shown && <div className="empty-state">{t('viewer.nothing')}</div>}
          {shown && !loaded && <div className="empty-state">{t('common.loading')}</div>}
          {loaded?.kind === 'error' && <div className="error-box">{loaded.message}</div>}
          {marksFailure && (loaded?.kind === 'text' || readable) && (
            // A status, as the item's timestamp warning: a screen reader is told when it appears.
            <LiveRegion role="status" className="warn-box">
              {t('viewer.marksFailed', { message: asSentence(marksFailure) })}
            </LiveRegion>
          )}
          {loaded?.kind === 'text' &&
            (marksAnswered ? (
              <pre className="viewer-text bidi" dir="auto">
                <MarkedText text={loaded.text} ranges={textRanges(shown, loaded.text, marks)} />
              </pre>
            ) : (
              <div className="empty-state">{t('viewer.markingSelectors')}</div>
            ))}
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
            <div className="picture-frame">
              <img
                src={loaded.url}
                alt={
                  shown?.kind === 'artifact'
                    ? t('viewer.imageAlt', { role: t(`role.${shown.artifact.role}`) })
                    : t('viewer.pageImageAlt', { uri: shown?.kind === 'page-image' ? (shown.uri ?? '') : '' })
                }
                onLoad={(e) =>
                  setNatural({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })
                }
                style={
                  zoom === 'fit'
                    ? { maxWidth: '100%' }
                    : { width: natural ? natural.width * zoom : undefined, maxWidth: 'none' }
                }
              />
              {readable && showLines && marksAnswered && (
                <PictureTextOverlay
                  reading={reading}
                  marks={marks?.pictures.filter((m) => m.sha256 === reading.sha256) ?? []}
                />
              )}
            </div>
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
}: Readonly<{ onKey: (event: React.KeyboardEvent) => void; children: ReactNode }>) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the canvas scrolls with the keyboard and takes zoom keys
    <section className="viewer-canvas" tabIndex={0} onKeyDown={onKey} aria-label={t('viewer.canvas')}>
      {children}
    </section>
  );
}

/** The item's artifacts the viewer shows, then the page images whose text was read. */
function useViewable(
  artifacts: readonly ArtifactRecord[],
  pictureText: ItemPictureText | null | undefined,
): readonly ViewedPicture[] {
  return useMemo(() => {
    const own: ViewedPicture[] = artifacts
      .filter(
        (a) =>
          a.mediaType.startsWith('image/') ||
          isVideo(a.mediaType) ||
          a.role === 'text' ||
          a.mediaType.startsWith('text/plain'),
      )
      .map((artifact) => ({ kind: 'artifact', artifact }));
    const pageImages: ViewedPicture[] = (pictureText?.pictures ?? [])
      .filter((p: PictureReading) => p.role === 'page-image' && p.lines.length > 0)
      .map((p) => ({ kind: 'page-image', sha256: p.sha256, uri: p.uri }));
    return [...own, ...pageImages];
  }, [artifacts, pictureText]);
}

/** A tab's identity: the same picture keeps its tab when the list is made again. */
function viewedKey(viewed: ViewedPicture): string {
  return `${viewedSha256(viewed)} ${viewed.kind === 'artifact' ? viewed.artifact.role : 'page-image'}`;
}

type TextRange = { readonly start: number; readonly end: number };

/**
 * Where the shown text holds a selector: the ranges the service found (identifiers, by their
 * offsets in this artifact) and, for word selectors, where the words are written (any case).
 */
function textRanges(
  shown: ViewedPicture | undefined,
  text: string,
  marks: ItemSelectorMarks | null | undefined,
): TextRange[] {
  if (!marks || shown?.kind !== 'artifact') return [];
  const source =
    shown.artifact.role === 'text' ? 'text' : shown.artifact.role === 'original' ? 'original' : null;
  const ranges: TextRange[] = marks.text.filter((m) => m.source === source);
  const lower = text.toLowerCase();
  for (const hit of marks.hits) {
    if (hit.match !== 'word') continue;
    for (const words of new Set([hit.selector.value, hit.selector.raw.toLowerCase()])) {
      for (let at = lower.indexOf(words); words && at !== -1; at = lower.indexOf(words, at + words.length))
        ranges.push({ start: at, end: at + words.length });
    }
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/** Text with ranges marked (overlapping ranges are merged into the first). */
function MarkedText({ text, ranges }: Readonly<{ text: string; ranges: readonly TextRange[] }>) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const range of ranges) {
    if (range.start < at || range.end > text.length) continue;
    parts.push(text.slice(at, range.start));
    parts.push(
      <mark key={range.start} className="selector-mark">
        {text.slice(range.start, range.end)}
      </mark>,
    );
    at = range.end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
