import { useRef, useState } from 'react';
import { formatInterval, type WatchState, type WatchView } from '../../../shared/watch.js';
import { AddForm } from '../components/add-form.js';
import { TextField } from '../components/field.js';
import { useNotice } from '../components/notices.js';
import { RunningButton } from '../components/running-button.js';
import { UntrustedText, withInvisiblesShown } from '../components/text.js';
import { useLoad } from '../hooks/use-load.js';
import { announceWatchesChanged } from '../hooks/use-removed-watches.js';
import { useSubmit } from '../hooks/use-submit.js';
import { formatTime, type MessageKey, t, utcOffsetLabel } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useAppState } from '../state/app-state.js';

/** How each state is shown: removed stands out, unreachable and failed warn, the rest are calm. */
const STATE_TONE: Readonly<Record<WatchState, string>> = {
  live: 'good',
  unchanged: 'good',
  changed: 'accent',
  removed: 'bad',
  unreachable: 'warn',
  failed: 'warn',
};

function StateBadge({ state }: Readonly<{ state: WatchState | null }>) {
  return (
    <span className={`badge ${state ? STATE_TONE[state] : ''}`}>
      {t(state ? (`watch.state.${state}` as MessageKey) : 'watch.state.none')}
    </span>
  );
}

/** The form that adds a watch to the open case. */
function AddWatchForm({ onAdded }: Readonly<{ onAdded: () => void }>) {
  const { openCase } = useAppState();
  const notice = useNotice();
  const [url, setUrl] = useState('');
  const [every, setEvery] = useState('6h');
  const submission = useSubmit(
    async () => {
      if (!openCase || url.trim() === '') return;
      const added = await call('addWatch', { caseRef: openCase.id, url, every });
      notice({ tone: 'good', title: t('watch.added', { url: added.url }) });
      setUrl('');
      onAdded();
    },
    [url, every],
    url.trim() === '' ? t('watch.missingUrl') : every.trim() === '' ? t('watch.missingEvery') : null,
  );
  if (!openCase) return <p className="muted">{t('watch.needCase')}</p>;

  return (
    <AddForm
      name={t('watch.add')}
      className="watch-form"
      submitLabel={t('watch.submit')}
      submission={submission}
    >
      <TextField
        label={t('watch.url')}
        value={url}
        onChange={setUrl}
        mono
        placeholder={t('watch.urlExample')}
      />
      <TextField
        label={t('watch.every')}
        value={every}
        onChange={setEvery}
        mono
        placeholder={t('watch.everyHint')}
      />
    </AddForm>
  );
}

/** One watched URL: its state, its controls and its timeline of checks with the items proving them. */
function WatchCard({ watch, onChanged }: Readonly<{ watch: WatchView; onChanged: () => void }>) {
  const { openCase, setOpenCase, navigate } = useAppState();
  const notice = useNotice();
  const [busy, setBusy] = useState(false);
  // Set at once, not at the next render: a second Enter in the same moment sends nothing either.
  const acting = useRef(false);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (e) {
      notice({ tone: 'bad', title: (e as Error).message });
    } finally {
      setBusy(false);
      onChanged();
    }
  };
  /** Check now and Remove: one at a time, a press while one runs doing nothing (its button aria-disabled). */
  const actOnce = (work: () => Promise<void>) => {
    if (acting.current) return;
    acting.current = true;
    void act(work).finally(() => {
      acting.current = false;
    });
  };
  const openItem = (itemId: string) =>
    act(async () => {
      if (openCase?.id !== watch.caseId) setOpenCase(await call('getCase', { caseRef: watch.caseId }));
      navigate({ screen: 'item', itemId });
    });

  const headId = `watch-${watch.id}`;
  return (
    <section className="panel watch-card" aria-labelledby={headId}>
      <div className="panel-head">
        <h3 id={headId} className="mono ellipsis" dir="ltr" title={withInvisiblesShown(watch.url)}>
          <UntrustedText text={watch.url} />
        </h3>
        <StateBadge state={watch.state} />
        <span className="spacer" />
        {/* aria-disabled, not disabled, while a check or removal runs: a disabled button loses the
            focus (to the page's body), and the keyboard user who pressed it with it. A press
            meanwhile does nothing. */}
        <button
          type="button"
          className="btn"
          aria-disabled={busy || undefined}
          onClick={() =>
            actOnce(async () => {
              await call('runWatches', { watchId: watch.id });
            })
          }
        >
          {busy ? t('watch.checking') : t('watch.checkNow')}
        </button>
        <button
          type="button"
          className="btn"
          aria-disabled={busy || undefined}
          onClick={() =>
            actOnce(async () => {
              await call('removeWatch', { watchId: watch.id });
              notice({ tone: 'good', title: t('watch.removed', { url: watch.url }) });
            })
          }
        >
          {t('watch.remove')}
        </button>
      </div>
      <div className="panel-body">
        <div className="muted watch-meta">
          {t('watch.case', { number: withInvisiblesShown(watch.caseNumber) })} ·{' '}
          {t('watch.everyValue', { every: formatInterval(watch.intervalSeconds) })}
          {watch.nextDueAt && <> · {t('watch.next', { time: formatTime(watch.nextDueAt) })}</>}
        </div>
        {watch.history.length === 0 ? (
          <p className="muted">{t('watch.notChecked')}</p>
        ) : (
          <table
            className="simple-table watch-timeline"
            aria-label={t('watch.history', { url: withInvisiblesShown(watch.url) })}
          >
            <thead>
              <tr>
                <th>{t('watch.col.time', { zone: utcOffsetLabel() })}</th>
                <th>{t('watch.col.state')}</th>
                <th>{t('watch.col.why')}</th>
                <th>{t('watch.col.item')}</th>
              </tr>
            </thead>
            <tbody>
              {[...watch.history].reverse().map((check) => (
                <tr key={check.ledgerSeq}>
                  <td className="mono">{formatTime(check.checkedAt)}</td>
                  <td>
                    <StateBadge state={check.state} />
                  </td>
                  <td className="bidi" dir="auto">
                    {check.error ?? check.reasons.join('; ')}
                  </td>
                  <td>
                    {check.itemId ? (
                      <button
                        type="button"
                        className="link-button mono"
                        title={check.itemId}
                        onClick={() => check.itemId && openItem(check.itemId)}
                      >
                        {t('watch.openItem')} {check.itemId.slice(0, 8)}
                      </button>
                    ) : (
                      <span className="faint">{t('watch.noItem')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

/** Watched URLs of every case, newest check first in each timeline, with a form to add one to the open case. */
export function WatchesScreen() {
  const loaded = useLoad(() => call('listWatches', {}), []);
  const watches = {
    ...loaded,
    reload: () => {
      loaded.reload();
      announceWatchesChanged();
    },
  };
  const notice = useNotice();
  const [checking, setChecking] = useState(false);
  const list = watches.value ?? [];

  const checkAll = async () => {
    setChecking(true);
    try {
      const outcome = await call('runWatches', {});
      notice({ tone: 'good', title: t('watch.checked', { count: outcome.checks.length }) });
    } catch (e) {
      notice({ tone: 'bad', title: (e as Error).message });
    } finally {
      setChecking(false);
      watches.reload();
    }
  };

  return (
    <>
      <div className="screen-head">
        <div>
          <h1>{t('watch.title')}</h1>
          <div className="sub">{t('watch.subtitle')}</div>
        </div>
        <span className="spacer" />
        <RunningButton running={checking} disabled={!checking && list.length === 0} onPress={checkAll}>
          {checking ? t('watch.checking') : t('watch.checkAll')}
        </RunningButton>
      </div>
      <div className="screen-body">
        <section className="panel" aria-labelledby="watch-add-head">
          <div className="panel-head">
            <h3 id="watch-add-head">{t('watch.add')}</h3>
          </div>
          <div className="panel-body">
            <AddWatchForm onAdded={watches.reload} />
          </div>
        </section>
        {watches.error && <div className="error-box">{watches.error.message}</div>}
        {watches.value && list.length === 0 && <p className="muted">{t('watch.none')}</p>}
        {list.map((w) => (
          <WatchCard key={w.id} watch={w} onChanged={watches.reload} />
        ))}
      </div>
    </>
  );
}
