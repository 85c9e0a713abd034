import { type PointerEvent, type RefObject, useEffect, useRef, useState } from 'react';
import type { ViewRect } from '../../../shared/api.js';
import type { LiveFrame, LiveViewState, ViewBounds } from '../../../shared/shell-api.js';
import { CAPTURE_SHORTCUTS, type CaptureShortcut, shortcutLabel } from '../../../shared/shortcuts.js';
import { Icon } from '../components/icons.js';
import { UrlText } from '../components/text.js';
import { t } from '../i18n/i18n.js';

/** The placeholder's box in the window, which the shell places the live view over. */
function boundsOf(element: HTMLElement): ViewBounds {
  const box = element.getBoundingClientRect();
  return {
    x: Math.max(0, box.left),
    y: Math.max(0, box.top),
    width: Math.max(0, box.width),
    height: Math.max(0, box.height),
  };
}

/** Reports the placeholder's box whenever it moves or changes size (layout, window, scroll). */
export function useReportBounds(
  placeholder: RefObject<HTMLElement | null>,
  report: ((bounds: ViewBounds) => void) | null,
): void {
  useEffect(() => {
    const element = placeholder.current;
    if (!element || !report) return;
    let last = '';
    const send = () => {
      const bounds = boundsOf(element);
      const key = JSON.stringify(bounds);
      if (key === last) return;
      last = key;
      report(bounds);
    };
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(send);
    observer?.observe(element);
    window.addEventListener('resize', send);
    window.addEventListener('scroll', send, true);
    return () => {
      observer?.disconnect();
      window.removeEventListener('resize', send);
      window.removeEventListener('scroll', send, true);
    };
  }, [placeholder, report]);
}

/** The initial box of the placeholder, for opening the view. */
export function placeholderBounds(placeholder: RefObject<HTMLElement | null>): ViewBounds {
  return placeholder.current ? boundsOf(placeholder.current) : { x: 0, y: 0, width: 0, height: 0 };
}

/** The capture shortcuts as the screen lists them. */
export function ShortcutList({ platform }: Readonly<{ platform: string }>) {
  return (
    <div className="live-shortcuts">
      <span>{t('live.shortcuts')}:</span>
      {CAPTURE_SHORTCUTS.map(({ id }) => (
        <span key={id}>
          <span className="kbd">{shortcutLabel(id, platform)}</span> {t(`shortcut.${id}`)}
        </span>
      ))}
    </div>
  );
}

/**
 * The live browser's part of the capture screen: back, forward, reload, the four captures, and
 * the placeholder the desktop shell places the live view over. Without the shell (the browser
 * harness) the placeholder says plainly that the live browser is not available there.
 */
export function LivePanel({
  available,
  state,
  placeholder,
  platform,
  busy,
  recording,
  frame,
  onNavigate,
  onCapture,
  onRegion,
  onRegionCancel,
  onClose,
}: Readonly<{
  available: boolean;
  state: LiveViewState;
  placeholder: RefObject<HTMLDivElement | null>;
  platform: string;
  busy: boolean;
  /** A video is being recorded: its button stops it, the other captures wait. */
  recording: boolean;
  frame: LiveFrame | null;
  onNavigate: (action: 'back' | 'forward' | 'reload') => void;
  onCapture: (id: CaptureShortcut) => void;
  onRegion: (rect: ViewRect) => void;
  onRegionCancel: () => void;
  onClose: () => void;
}>) {
  const canCapture = available && state.open && /^https?:/i.test(state.url) && !busy;
  const captureButton = (
    id: CaptureShortcut,
    icon: 'camera' | 'visible' | 'region' | 'video',
    label: string,
    enabled = canCapture,
  ) => (
    <button
      type="button"
      className={`btn small${id === 'capture-video' && recording ? ' active' : ''}`}
      aria-pressed={id === 'capture-video' ? recording : undefined}
      disabled={!enabled}
      onClick={() => onCapture(id)}
      title={`${label} (${shortcutLabel(id, platform)})`}
    >
      <Icon name={icon} size={13} />
      {label}
      <span className="kbd">{shortcutLabel(id, platform)}</span>
    </button>
  );
  const navButton = (
    action: 'back' | 'forward' | 'reload',
    icon: 'back' | 'forward' | 'reload',
    label: string,
    disabled: boolean,
  ) => (
    <button
      type="button"
      className="btn small icon"
      aria-label={label}
      disabled={disabled}
      onClick={() => onNavigate(action)}
    >
      <Icon name={icon} size={13} />
    </button>
  );
  return (
    <section className="live-panel" aria-label={t('live.label')}>
      <div className="live-toolbar">
        {navButton('back', 'back', t('live.back'), !state.canGoBack)}
        {navButton('forward', 'forward', t('live.forward'), !state.canGoForward)}
        {navButton('reload', 'reload', t('live.reload'), !state.open || state.url === '')}
        <span className="live-title ellipsis" data-testid="live-title">
          {state.loading ? t('live.loading') : state.url ? <UrlText url={state.url} /> : null}
        </span>
        {captureButton('capture-page', 'camera', t('live.capturePage'))}
        {captureButton('capture-visible', 'visible', t('live.captureVisible'))}
        {captureButton('capture-region', 'region', t('live.captureRegion'))}
        {captureButton(
          'capture-video',
          'video',
          recording ? t('live.stopVideo') : t('live.recordVideo'),
          recording || canCapture,
        )}
        <button type="button" className="btn small icon" aria-label={t('live.close')} onClick={onClose}>
          <Icon name="cross" size={13} />
        </button>
      </div>
      <div
        className={`live-view${available ? '' : ' unavailable'}`}
        ref={placeholder}
        data-testid="live-view"
      >
        {!available ? (
          <div className="live-empty" role="note">
            <h2>{t('live.unavailableTitle')}</h2>
            <p>{t('live.unavailable')}</p>
          </div>
        ) : (
          !state.url && (
            <div className="live-empty">
              <p>{t('live.blank')}</p>
            </div>
          )
        )}
        {frame && <RegionOverlay frame={frame} onSelect={onRegion} onCancel={onRegionCancel} />}
      </div>
      <ShortcutList platform={platform} />
    </section>
  );
}

/**
 * The region selection: a still picture of the live view (the window cannot draw over the native
 * view, so the shell hides it meanwhile) with a rectangle the investigator drags. The rectangle
 * is reported in CSS pixels of the view; Escape cancels.
 */
export function RegionOverlay({
  frame,
  onSelect,
  onCancel,
}: Readonly<{ frame: LiveFrame; onSelect: (rect: ViewRect) => void; onCancel: () => void }>) {
  const [start, setStart] = useState<{ x: number; y: number } | null>(null);
  const [box, setBox] = useState<ViewRect | null>(null);
  const overlay = useRef<HTMLDivElement>(null);

  useEffect(() => {
    overlay.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onCancel]);

  // Overlay pixels to view pixels (the same when the placeholder has the view's size).
  const point = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const scaleX = rect.width > 0 ? frame.width / rect.width : 1;
    const scaleY = rect.height > 0 ? frame.height / rect.height : 1;
    return { x: (event.clientX - rect.left) * scaleX, y: (event.clientY - rect.top) * scaleY };
  };
  const between = (a: { x: number; y: number }, b: { x: number; y: number }): ViewRect => ({
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    width: Math.abs(a.x - b.x),
    height: Math.abs(a.y - b.y),
  });

  return (
    <div
      ref={overlay}
      className="region-overlay"
      role="application"
      aria-label={t('live.regionLabel')}
      tabIndex={-1}
      data-testid="region-overlay"
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture?.(event.pointerId);
        const p = point(event);
        setStart(p);
        setBox({ ...p, width: 0, height: 0 });
      }}
      onPointerMove={(event) => {
        if (start) setBox(between(start, point(event)));
      }}
      onPointerUp={(event) => {
        if (!start) return;
        const rect = between(start, point(event));
        setStart(null);
        setBox(null);
        // A click without a drag chooses nothing; the overlay stays for another try.
        if (rect.width >= 2 && rect.height >= 2) onSelect(rect);
      }}
    >
      <img src={frame.dataUri} alt="" draggable={false} />
      <div className="region-hint">{t('live.regionHint')}</div>
      {box && (
        <div
          className="region-box"
          data-testid="region-box"
          style={{
            left: `${(box.x / frame.width) * 100}%`,
            top: `${(box.y / frame.height) * 100}%`,
            width: `${(box.width / frame.width) * 100}%`,
            height: `${(box.height / frame.height) * 100}%`,
          }}
        />
      )}
    </div>
  );
}
