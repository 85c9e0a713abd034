import { useEffect, useMemo, useRef, useState } from 'react';
import type { EntityType } from '../../../shared/entities.js';
import type { Selector, SelectorHit } from '../../../shared/selectors.js';
import { AddForm } from '../components/add-form.js';
import { entityTypeLabel } from '../components/entity-text.js';
import { TextField } from '../components/field.js';
import { useNotice } from '../components/notices.js';
import { RunningButton } from '../components/running-button.js';
import { BidiText, MonoText, ShortUrl, withInvisiblesShown } from '../components/text.js';
import { useLoad } from '../hooks/use-load.js';
import { announceSelectorsChanged, hitKey, markHitsSeen, unseenHits } from '../hooks/use-selector-hits.js';
import { useSubmit } from '../hooks/use-submit.js';
import { formatTime, type MessageKey, t, utcOffsetLabel } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useAppState } from '../state/app-state.js';

/** Where in an item an entity source is, in words. */
function whereFound(hit: SelectorHit): string {
  if (hit.match === 'word') return t('selectors.where.words');
  return hit.sources.map((s) => t(`mentions.source.${s}` as MessageKey)).join(', ');
}

/** How the item holds the selector, in words. */
function howHeld(hit: SelectorHit): string {
  if (hit.match === 'possible')
    return t('selectors.how.possible', { original: withInvisiblesShown(hit.original ?? '') });
  if (hit.match === 'word') return t('selectors.how.word');
  return t('selectors.how.entity', { original: withInvisiblesShown(hit.original ?? hit.selector.value) });
}

/** The form that adds a selector, for the open case (or every case). */
function AddSelectorForm({ onAdded }: Readonly<{ onAdded: () => void }>) {
  const { openCase } = useAppState();
  const notice = useNotice();
  const [value, setValue] = useState('');
  const [label, setLabel] = useState('');
  const [onlyCase, setOnlyCase] = useState(true);
  const forCase = openCase && onlyCase ? openCase : null;
  const submission = useSubmit(
    async () => {
      if (value.trim() === '') return;
      const added = await call('addSelector', { value, label: label || null, caseRef: forCase?.id ?? null });
      notice({
        tone: 'good',
        title: t('selectors.added', {
          value: added.value,
          where: added.caseNumber ?? t('selectors.allCases'),
        }),
      });
      setValue('');
      setLabel('');
      onAdded();
    },
    [value],
    value.trim() === '' ? t('selectors.missingValue') : null,
  );

  return (
    <AddForm
      name={t('selectors.add')}
      className="selector-form"
      submitLabel={t('selectors.submit')}
      submission={submission}
      afterSubmit={
        openCase ? (
          <label className="check">
            <input type="checkbox" checked={onlyCase} onChange={(e) => setOnlyCase(e.target.checked)} />
            {t('selectors.onlyCase', { number: withInvisiblesShown(openCase.number) })}
          </label>
        ) : (
          <span className="muted">{t('selectors.forAllCases')}</span>
        )
      }
    >
      <TextField
        label={t('selectors.value')}
        value={value}
        onChange={setValue}
        placeholder={t('selectors.valueExample')}
        autoFocusTarget
      />
      <TextField
        label={t('selectors.label')}
        value={label}
        onChange={setLabel}
        placeholder={t('selectors.labelExample')}
      />
    </AddForm>
  );
}

/** The hits of every active selector, newest item first; those not seen before are marked New. */
function HitsPanel({ hits }: Readonly<{ hits: readonly SelectorHit[] }>) {
  const { openCase, setOpenCase, navigate } = useAppState();
  const notice = useNotice();
  // Which hits were new when they were shown, worked out while rendering (so the first paint of a
  // new hit already says New, not a paint later); they are remembered as seen once painted.
  const [shownFresh] = useState(() => new Set<string>());
  const fresh = useMemo(() => {
    for (const hit of unseenHits(hits)) shownFresh.add(hitKey(hit));
    return new Set(shownFresh);
  }, [hits, shownFresh]);
  useEffect(() => markHitsSeen(hits), [hits]);

  const open = async (hit: SelectorHit) => {
    try {
      if (openCase?.id !== hit.caseId) setOpenCase(await call('getCase', { caseRef: hit.caseId }));
      navigate({ screen: 'item', itemId: hit.itemId });
    } catch (e) {
      notice({ tone: 'bad', title: (e as Error).message });
    }
  };

  return (
    <section className="panel" aria-labelledby="selector-hits-head">
      <div className="panel-head">
        <h3 id="selector-hits-head">{t('selectors.hits', { count: hits.length })}</h3>
      </div>
      {hits.length === 0 ? (
        <div className="panel-body muted">{t('selectors.noHits')}</div>
      ) : (
        <table className="simple-table selector-hits" aria-label={t('selectors.hitsTable')}>
          <thead>
            <tr>
              <th>{t('selectors.col.selector')}</th>
              <th>{t('selectors.col.how')}</th>
              <th>{t('selectors.col.item')}</th>
              <th>{t('selectors.col.where')}</th>
              <th>{t('selectors.col.when', { zone: utcOffsetLabel() })}</th>
            </tr>
          </thead>
          <tbody>
            {hits.map((hit) => (
              <tr key={hitKey(hit)} className={hit.match === 'possible' ? 'possible' : undefined}>
                <td>
                  <MonoText text={hit.selector.value} />
                  {fresh.has(hitKey(hit)) && (
                    <span className="badge accent new-hit">{t('selectors.new')}</span>
                  )}
                  {hit.selector.label && (
                    <div className="faint">
                      <BidiText text={hit.selector.label} />
                    </div>
                  )}
                </td>
                <td className={hit.match === 'possible' ? 'warn-text' : undefined}>
                  <bdi>{howHeld(hit)}</bdi>
                </td>
                <td className="selector-hit-item">
                  <button
                    type="button"
                    className="link-button"
                    title={t('selectors.openItem', { id: hit.itemId })}
                    onClick={() => void open(hit)}
                  >
                    {hit.title ? (
                      <BidiText text={hit.title} />
                    ) : hit.url ? (
                      <ShortUrl url={hit.url} />
                    ) : (
                      hit.itemId.slice(0, 8)
                    )}
                  </button>
                  <div className="faint">
                    {t('selectors.inCase', { number: withInvisiblesShown(hit.caseNumber) })}
                  </div>
                </td>
                <td>{whereFound(hit)}</td>
                <td className="mono">{formatTime(hit.capturedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The selectors themselves, each removable (a custody entry; the history keeps it). */
function SelectorsPanel({
  selectors,
  onChanged,
}: Readonly<{ selectors: readonly Selector[]; onChanged: () => void }>) {
  const notice = useNotice();
  const [busy, setBusy] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const remove = async (selector: Selector) => {
    setBusy(selector.id);
    try {
      await call('removeSelector', { selectorId: selector.id });
      notice({ tone: 'good', title: t('selectors.removed', { value: selector.value }) });
      // Its row, and the Remove that has the focus, go with the reload: the focus goes to the
      // list's heading first, not to the page's body.
      if (document.activeElement?.closest('tr')) heading.current?.focus();
      onChanged();
    } catch (e) {
      notice({ tone: 'bad', title: (e as Error).message });
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="panel" aria-labelledby="selector-list-head">
      <div className="panel-head">
        <h3 id="selector-list-head" ref={heading} tabIndex={-1}>
          {t('selectors.list', { count: selectors.length })}
        </h3>
      </div>
      {selectors.length === 0 ? (
        <div className="panel-body muted">{t('selectors.none')}</div>
      ) : (
        <table className="simple-table" aria-label={t('selectors.listTable')}>
          <thead>
            <tr>
              <th>{t('selectors.col.value')}</th>
              <th>{t('selectors.col.label')}</th>
              <th>{t('selectors.col.case')}</th>
              <th>{t('selectors.col.added', { zone: utcOffsetLabel() })}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {selectors.map((s) => (
              <tr key={s.id}>
                <td>
                  <MonoText text={s.value} />
                  <div className="faint">
                    {s.type === 'word' ? t('selectors.type.word') : entityTypeLabel(s.type as EntityType)}
                  </div>
                </td>
                <td>{s.label && <BidiText text={s.label} />}</td>
                <td>{s.caseNumber ? <MonoText text={s.caseNumber} /> : t('selectors.allCases')}</td>
                <td className="mono">{formatTime(s.createdAt)}</td>
                <td>
                  <RunningButton
                    className="btn small"
                    running={busy !== null}
                    aria-label={t('selectors.removeNamed', { value: withInvisiblesShown(s.value) })}
                    onPress={() => void remove(s)}
                  >
                    {t('selectors.remove')}
                  </RunningButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * Selectors: numbers, accounts and words the investigator is told about whenever new evidence
 * holds them, with every hit (item, where found, when) and a way to open it.
 */
export function SelectorsScreen() {
  const selectors = useLoad(() => call('listSelectors', {}), []);
  const hits = useLoad(() => call('listSelectorHits', {}), []);
  const reload = useMemo(
    () => () => {
      selectors.reload();
      hits.reload();
      announceSelectorsChanged();
    },
    [selectors.reload, hits.reload],
  );
  const error = selectors.error ?? hits.error;
  return (
    <>
      <div className="screen-head">
        <div>
          <h1>{t('selectors.title')}</h1>
          <div className="sub">{t('selectors.subtitle')}</div>
        </div>
      </div>
      <div className="screen-body">
        <section className="panel" aria-labelledby="selector-add-head">
          <div className="panel-head">
            <h3 id="selector-add-head">{t('selectors.add')}</h3>
          </div>
          <div className="panel-body">
            <AddSelectorForm onAdded={reload} />
          </div>
        </section>
        {error && <div className="error-box">{error.message}</div>}
        {hits.value && <HitsPanel hits={hits.value} />}
        {selectors.value && <SelectorsPanel selectors={selectors.value} onChanged={reload} />}
      </div>
    </>
  );
}
