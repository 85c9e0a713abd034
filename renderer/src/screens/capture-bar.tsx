import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { BatchOutcome, CallOptions, ViewRect } from '../../../shared/api.js';
import { completeAddress } from '../../../shared/complete-address.js';
import type { ItemSummary } from '../../../shared/domain.js';
import { CLOSED_LIVE_VIEW, type LiveFrame, type LiveViewState } from '../../../shared/shell-api.js';
import { type CaptureShortcut, matchShortcut, shortcutLabel } from '../../../shared/shortcuts.js';
import { Icon } from '../components/icons.js';
import { useNotice } from '../components/notices.js';
import { ProgressBar } from '../components/progress-bar.js';
import { RunningButton } from '../components/running-button.js';
import { BidiText, CopyButton, UrlText } from '../components/text.js';
import { useJob } from '../hooks/use-job.js';
import { useLoad } from '../hooks/use-load.js';
import { withNewEvidence } from '../hooks/use-selector-hits.js';
import { t, windowSentence } from '../i18n/i18n.js';
import { call, callLive, liveShell } from '../platform/custos.js';
import { pageProgress, stageLabel } from './capture-stages.js';
import { captureWarningText } from './capture-warning-text.js';
import { LivePanel, placeholderBounds, useReportBounds } from './live-browser.js';

/** What one capture of the capture screen takes. */
type CaptureRequest =
  | { readonly from: 'url'; readonly url: string; readonly persona: string }
  | { readonly from: 'live'; readonly what: 'page' | 'visible' | 'video' }
  | { readonly from: 'live'; readonly what: 'region'; readonly region: ViewRect };

async function runCapture(
  caseRef: string,
  request: CaptureRequest,
  options: CallOptions,
): Promise<BatchOutcome> {
  if (request.from === 'url') {
    return withNewEvidence(
      call('captureUrls', { caseRef, urls: [request.url], persona: request.persona || null }, options),
    );
  }
  const item = await withNewEvidence(
    call(
      'captureLive',
      request.what === 'region'
        ? { caseRef, what: 'region', region: request.region }
        : request.what === 'video'
          ? { caseRef, what: 'video' }
          : { caseRef, what: request.what },
      options,
    ),
  );
  return { items: [item], failures: [], cancelled: false };
}

/**
 * The capture screen's bar: an address, a persona and Capture. With the live browser open (the
 * desktop app), the address opens in the live view and the captures take what the investigator
 * sees there: the page with every artifact, the visible area, or a dragged region. Without it
 * (the browser harness, or the live browser closed), Capture loads the address in a fresh capture
 * browser. The capture shortcuts work in both, and are listed.
 */
export function CaptureBar({
  caseRef,
  onCaptured,
  autoFocusTarget = false,
}: Readonly<{
  caseRef: string;
  onCaptured: (items: readonly ItemSummary[]) => void;
  /** The address is the screen's first action (an empty case): it takes the focus when the screen opens. */
  autoFocusTarget?: boolean;
}>) {
  const notice = useNotice();
  const [url, setUrl] = useState('');
  const [persona, setPersona] = useState('');
  const [liveOpen, setLiveOpen] = useState(false);
  const [liveState, setLiveState] = useState<LiveViewState>(CLOSED_LIVE_VIEW);
  const [frame, setFrame] = useState<LiveFrame | null>(null);
  const [liveError, setLiveError] = useState<string | null>(null);
  /** A video of the live view is being recorded (its `captureLive` call answers once it is stored). */
  const [recording, setRecording] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const placeholder = useRef<HTMLDivElement>(null);
  const shell = liveShell();
  const platform = window.custosShell?.platform ?? 'browser';
  const live = liveOpen && shell !== null;
  const settings = useLoad(() => call('getSettings', {}), []);
  const job = useJob((options, request: CaptureRequest) => runCapture(caseRef, request, options));

  // Ctrl+L (Cmd+L) goes to the address bar, as in a browser.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The live view: opened over the placeholder (again when the persona changes), closed with the panel.
  useEffect(() => {
    if (!live) return;
    let cancelled = false;
    callLive('liveOpen', { persona: persona || null, bounds: placeholderBounds(placeholder) })
      .then((state) => {
        if (!cancelled) setLiveState(state);
      })
      .catch((error: Error) => setLiveError(error.message));
    return () => {
      cancelled = true;
    };
  }, [live, persona]);
  useEffect(() => {
    if (!live || !shell) return;
    const stop = shell.onState(setLiveState);
    return () => {
      stop();
      void callLive('liveClose', {}).catch(() => undefined);
      setLiveState(CLOSED_LIVE_VIEW);
    };
  }, [live, shell]);
  const reportBounds = useCallback((bounds: { x: number; y: number; width: number; height: number }) => {
    void callLive('liveBounds', { bounds }).catch(() => undefined);
  }, []);
  useReportBounds(placeholder, live ? reportBounds : null);

  const capture = async (request: CaptureRequest) => {
    if (job.running) return;
    const video = request.from === 'live' && request.what === 'video';
    if (video) setRecording(true);
    // The Capture button keeps the keyboard while the page is captured (a RunningButton: busy,
    // not disabled), so that a keyboard or screen-reader user stays where they pressed it.
    const outcome = await job.start(request).finally(() => {
      if (video) setRecording(false);
    });
    if (!outcome) return;
    const item = outcome.items[0];
    if (item) {
      onCaptured(outcome.items);
      if (request.from === 'url') {
        // The address is emptied, ready for the next one, and the Capture button, with nothing to
        // capture, is disabled: the keyboard on it goes to the address first, not the page's body.
        const focused = document.activeElement;
        if (focused === document.body || focused === input.current?.form?.querySelector('[type="submit"]'))
          input.current?.focus();
        setUrl('');
      }
      const title =
        request.from === 'live' && request.what === 'region'
          ? t('live.regionDone')
          : request.from === 'live' && request.what === 'visible'
            ? t('live.visibleDone')
            : video
              ? t('live.videoDone')
              : t('capture.done');
      // A page that answered 404 or shows a removal notice is sealed all the same, as a warning.
      const warning = outcome.warnings?.find((w) => w.itemId === item.id);
      notice({
        tone: warning ? 'warn' : 'good',
        title: warning ? t('capture.warning') : title,
        body: (
          <>
            <div className="ellipsis">
              <BidiText text={item.title ?? item.source} />
            </div>
            {warning && <div>{captureWarningText(warning)}</div>}
            <DigestNotice digest={item.digest} />
          </>
        ),
      });
    } else if (outcome.failures[0]) {
      notice({ tone: 'bad', title: t('capture.failed'), body: windowSentence(outcome.failures[0].message) });
    }
  };

  const startRegion = async () => {
    if (job.running || frame) return;
    try {
      setFrame(await callLive('liveFreeze', {}));
    } catch (error) {
      setLiveError((error as Error).message);
    }
  };
  const endRegion = async (region: ViewRect | null) => {
    setFrame(null);
    await callLive('liveUnfreeze', {}).catch(() => undefined);
    if (region) await capture({ from: 'live', what: 'region', region });
  };

  /** Starts a video of the live view, or asks the one being recorded to stop (it is then stored). */
  const toggleVideo = async () => {
    if (!recording) {
      await capture({ from: 'live', what: 'video' });
      return;
    }
    try {
      await call('stopLiveVideo', {});
    } catch (error) {
      setLiveError((error as Error).message);
    }
  };

  /** One capture shortcut (a key, the app menu, or a button). */
  const runShortcut = (id: CaptureShortcut) => {
    if (!live) {
      if (id !== 'capture-page') {
        notice({ tone: 'bad', title: t('capture.failed'), body: t('live.needsLive') });
      } else if (url.trim() === '') {
        notice({ tone: 'bad', title: t('capture.failed'), body: t('live.needsAddress') });
        input.current?.focus();
      } else {
        const address = completeAddress(url);
        setUrl(address);
        void capture({ from: 'url', url: address, persona });
      }
      return;
    }
    if (id === 'capture-video') void toggleVideo();
    else if (id === 'capture-page') void capture({ from: 'live', what: 'page' });
    else if (id === 'capture-visible') void capture({ from: 'live', what: 'visible' });
    else void startRegion();
  };
  const shortcutRef = useRef(runShortcut);
  shortcutRef.current = runShortcut;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const id = matchShortcut(
        {
          key: event.key,
          ctrl: event.ctrlKey,
          meta: event.metaKey,
          shift: event.shiftKey,
          alt: event.altKey,
        },
        platform,
      );
      if (!id || event.repeat) return;
      event.preventDefault();
      shortcutRef.current(id);
    };
    window.addEventListener('keydown', onKey);
    const stopShell = window.custosShell?.onShortcut?.((id) => shortcutRef.current(id));
    return () => {
      window.removeEventListener('keydown', onKey);
      stopShell?.();
    };
  }, [platform]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The bar shows the address it captures: `example.com/x` becomes `https://example.com/x`.
    const address = completeAddress(url);
    if (job.running || address === '') return;
    setUrl(address);
    if (live) {
      setLiveError(null);
      try {
        setLiveState(await callLive('liveNavigate', { url: address }));
      } catch (error) {
        setLiveError((error as Error).message);
      }
      return;
    }
    await capture({ from: 'url', url: address, persona });
  };

  const progress = job.state.status === 'running' ? job.state.progress : null;
  return (
    <>
      <form className="capture-bar" onSubmit={submit} aria-label={t('capture.label')}>
        <div className="address">
          <Icon name="globe" size={14} />
          <input
            ref={input}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            onBlur={() => setUrl((typed) => completeAddress(typed))}
            placeholder={t('capture.placeholder')}
            aria-label={live ? t('live.addressLive') : t('capture.address')}
            spellCheck={false}
            autoComplete="off"
            dir="ltr"
            data-autofocus={autoFocusTarget || undefined}
          />
          <span className="kbd">Ctrl L</span>
        </div>
        <select
          className="select"
          aria-label={t('capture.persona')}
          value={persona}
          onChange={(e) => setPersona(e.target.value)}
        >
          <option value="">{t('capture.noPersona')}</option>
          {(settings.value?.personas ?? []).map((p) => (
            <option key={p} value={p}>
              {t('capture.asPersona', { persona: p })}
            </option>
          ))}
        </select>
        {live ? (
          <button type="submit" className="btn" disabled={url.trim() === ''}>
            <Icon name="globe" size={14} />
            {t('live.go')}
          </button>
        ) : (
          // aria-disabled, not disabled, while the capture runs: the keyboard keeps its place on it.
          <RunningButton
            type="submit"
            className="btn primary"
            running={job.running}
            disabled={!job.running && url.trim() === ''}
            title={`${t('capture.submit')} (${shortcutLabel('capture-page', platform)})`}
          >
            <Icon name="camera" size={14} />
            {t('capture.submit')}
          </RunningButton>
        )}
        <button
          type="button"
          className={`btn${liveOpen ? ' active' : ''}`}
          aria-pressed={liveOpen}
          title={t('live.openHint')}
          onClick={() => {
            setLiveError(null);
            setLiveOpen((open) => !open);
          }}
        >
          <Icon name="visible" size={14} />
          {t('live.open')}
        </button>
      </form>
      {liveOpen && (
        <LivePanel
          available={shell !== null}
          state={liveState}
          placeholder={placeholder}
          platform={platform}
          busy={job.running}
          recording={recording}
          frame={frame}
          onNavigate={(action) => {
            const method =
              action === 'back' ? 'liveBack' : action === 'forward' ? 'liveForward' : 'liveReload';
            void callLive(method, {}).then(setLiveState, (error: Error) => setLiveError(error.message));
          }}
          onCapture={runShortcut}
          onRegion={(region) => void endRegion(region)}
          onRegionCancel={() => void endRegion(null)}
          onClose={() => setLiveOpen(false)}
        />
      )}
      {liveError && (
        <div className="error-box" role="alert" style={{ margin: '8px 18px' }}>
          {liveError}
        </div>
      )}
      {job.running && (
        <div className="capture-status" role="status">
          <Icon name="camera" size={14} />
          <span className="ellipsis" style={{ maxWidth: 420 }}>
            {t(stageLabel(progress?.stage))} · <UrlText url={progress?.subject ?? url} />
          </span>
          {/* While recording, the bar fills up towards the size limit. */}
          <ProgressBar
            progress={recording && progress ? progress : pageProgress(progress?.stage)}
            label={t('capture.progressLabel')}
          />
          {recording && (
            <button type="button" className="btn small primary" onClick={() => void toggleVideo()}>
              {t('live.stopVideo')}
            </button>
          )}
          <button type="button" className="btn small" onClick={job.cancel}>
            {recording ? t('live.discardVideo') : t('common.cancel')}
          </button>
        </div>
      )}
      {job.state.status === 'failed' && job.state.error.kind !== 'cancelled' && (
        <div className="error-box" role="alert" style={{ margin: '8px 18px' }}>
          {job.state.error.message}
        </div>
      )}
    </>
  );
}

/** The notice body after a capture: the item's digest, in full, with a copy button. */
export function DigestNotice({ digest }: Readonly<{ digest: string }>) {
  return (
    <div style={{ marginTop: 4 }}>
      <div className="muted" style={{ fontSize: 11.5 }}>
        {t('capture.digest')}
      </div>
      <div
        className="hash"
        data-testid="capture-digest"
        style={{ wordBreak: 'break-all', margin: '2px 0 6px' }}
      >
        {digest}
      </div>
      <CopyButton value={digest} />
    </div>
  );
}
