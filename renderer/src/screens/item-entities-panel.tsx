import { useEffect, useRef, useState } from 'react';
import type { CandidateView } from '../../../shared/entities.js';
import { Dialog } from '../components/dialog.js';
import {
  EntityRow,
  EntityValue,
  entityTypeLabel,
  PictureOrigin,
  pictureWhere,
} from '../components/entity-text.js';
import { FormError, TextField } from '../components/field.js';
import { useNotice } from '../components/notices.js';
import { SubmitButton } from '../components/submit-button.js';
import { UntrustedText, withInvisiblesShown } from '../components/text.js';
import { useLoad } from '../hooks/use-load.js';
import { announceSelectorsChanged } from '../hooks/use-selector-hits.js';
import { closeUnlessSaving, useSubmit } from '../hooks/use-submit.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/**
 * The entities found in one item, each a way to every other item that mentions it and marked when
 * read in a picture; then the numbers read in Eastern digits, candidates for the investigator to
 * confirm or dismiss (never entities until confirmed). `revision` changes when the item changed;
 * `itemName` (its title, else its source) names it in the notices of a decision, which may come
 * once the person is on another screen (a confirmation whose dialog closed while it saved), its
 * invisible characters shown as code points: a sentence held as a string cannot isolate it.
 */
export function ItemEntitiesPanel({
  itemId,
  itemName,
  revision,
  onChanged,
}: Readonly<{ itemId: string; itemName: string; revision: number; onChanged: () => void }>) {
  const entities = useLoad(() => call('getItemEntities', { itemId }), [itemId, revision]);
  const candidates = useLoad(() => call('getItemCandidates', { itemId }), [itemId, revision]);
  const list = entities.value ?? [];
  const readings = candidates.value ?? [];
  const landing = useFocusAfterDecision(candidates.value);
  return (
    <section className="panel" aria-labelledby="item-entities-head">
      <div className="panel-head">
        <h3 id="item-entities-head">{t('entities.itemPanel', { count: list.length })}</h3>
      </div>
      <div className="panel-body tight">
        {entities.error && <div className="error-box">{entities.error.message}</div>}
        {entities.value && list.length === 0 && <span className="faint">{t('entities.itemNone')}</span>}
        <ul className="entity-list item-entity-list">
          {list.map((entity) => (
            <EntityRow
              key={`${entity.type} ${entity.value}`}
              entity={entity}
              before={<span className="muted entity-type">{entityTypeLabel(entity.type)}</span>}
              after={<PictureOrigin entity={entity} />}
            />
          ))}
        </ul>
      </div>
      {readings.length > 0 && (
        <section className="candidates" aria-labelledby="item-candidates-head" ref={landing.section}>
          <h4 id="item-candidates-head" tabIndex={-1}>
            {t('candidates.title', { count: readings.length })}
          </h4>
          <p className="faint candidates-explain">{t('candidates.explain')}</p>
          <ul className="candidate-list">
            {readings.map((c) => (
              <CandidateRow
                key={candidateKey(c)}
                candidate={c}
                itemName={withInvisiblesShown(itemName)}
                onChanged={onChanged}
                onDecided={landing.decided}
              />
            ))}
          </ul>
        </section>
      )}
      {candidates.error && <div className="error-box">{candidates.error.message}</div>}
      {/* Always on the page, so that a screen reader hears it change. */}
      <p role="status" className="sr-only">
        {landing.said}
      </p>
    </section>
  );
}

/** A candidate's identity in the list: its type, its reading and its picture. */
function candidateKey(candidate: CandidateView): string {
  return `${candidate.type} ${candidate.value} ${candidate.picture.sha256}`;
}

/** How a number was decided, for the polite status: confirmed as `value`, or its reading dismissed. */
type Decided =
  | { readonly how: 'confirmed'; readonly value: string }
  | { readonly how: 'dismissed'; readonly read: string };

/**
 * Where the focus goes once a number confirmed through its dialog, or dismissed, shows as decided
 * (the list reloaded, its Confirm… and Dismiss buttons gone, which left the focus wherever the page
 * put it): the next number's Confirm…, else the list's heading; and what the polite status says happened.
 */
function useFocusAfterDecision(readings: readonly CandidateView[] | undefined) {
  const section = useRef<HTMLElement>(null);
  const [pending, setPending] = useState<({ key: string } & Decided) | null>(null);
  const [said, setSaid] = useState('');
  useEffect(() => {
    if (!pending || !readings) return;
    // Still the list from before the confirmation: wait for the one that shows it decided.
    if (readings.some((c) => candidateKey(c) === pending.key && !c.decision)) return;
    setPending(null);
    const left = readings.filter((c) => !c.decision).length;
    const next = section.current?.querySelector<HTMLElement>('.candidate-actions .btn.primary');
    (next ?? section.current?.querySelector<HTMLElement>('h4'))?.focus();
    const done =
      pending.how === 'confirmed'
        ? t('candidates.confirmedStatus', { value: pending.value })
        : t('candidates.dismissedStatus', { read: pending.read });
    setSaid(`${done} ${left > 0 ? t('candidates.leftNext', { count: left }) : t('candidates.leftNone')}`);
  }, [pending, readings]);
  return {
    section,
    said,
    decided: (candidate: CandidateView, decided: Decided) => {
      setSaid('');
      setPending({ key: candidateKey(candidate), ...decided });
    },
  };
}

/** One candidate: as written and as read, how sure, where, what it may be; confirm or dismiss. */
function CandidateRow({
  candidate,
  itemName,
  onChanged,
  onDecided,
}: Readonly<{
  candidate: CandidateView;
  itemName: string;
  onChanged: () => void;
  /** Dismissed, or confirmed from its dialog still open then: the focus is to land once the list shows it. */
  onDecided: (candidate: CandidateView, decided: Decided) => void;
}>) {
  const notice = useNotice();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  // Set at once, not at the next render: a second Enter in the same moment sends nothing either.
  const dismissing = useRef(false);
  const ref = {
    itemId: candidate.itemId,
    type: candidate.type,
    read: candidate.value,
    pictureSha256: candidate.picture.sha256,
  };
  const dismiss = async () => {
    if (dismissing.current) return;
    dismissing.current = true;
    setBusy(true);
    try {
      const done = await call('dismissCandidate', ref);
      notice({
        tone: 'good',
        title: t('candidates.dismissed', {
          read: candidate.original,
          item: itemName,
          seq: done.decision?.seq ?? 0,
        }),
      });
      onDecided(candidate, { how: 'dismissed', read: candidate.original });
      onChanged();
    } catch (e) {
      notice({ tone: 'bad', title: (e as Error).message });
    } finally {
      dismissing.current = false;
      setBusy(false);
    }
  };
  const decision = candidate.decision;
  return (
    <li className="candidate">
      <div className="candidate-head">
        <span className="candidate-written" dir="auto">
          <UntrustedText text={candidate.original} />
        </span>
        <span className="muted">{t('candidates.readAs')}</span>
        <EntityValue value={candidate.value} />
        <span className="badge warn" title={t('candidates.confidenceHint')}>
          {t('candidates.confidence', { percent: Math.round(candidate.confidence) })}
        </span>
      </div>
      <div className="faint candidate-where" dir="ltr">
        {entityTypeLabel(candidate.type)} · <UntrustedText text={pictureWhere(candidate.picture)} />
      </div>
      {candidate.possibleMatches.map((m) => (
        <div key={`${m.kind} ${m.value}`} className="candidate-match">
          <span className="badge accent">{t('candidates.possibleMatch')}</span>
          <EntityValue value={m.value} />
          <span className="muted">
            {m.kind === 'selector'
              ? t('candidates.matchSelector', { label: withInvisiblesShown(m.label ?? '') })
              : t('candidates.matchEntity')}
            {' · '}
            {m.digitsDifferent === 0 ? t('candidates.sameDigits') : t('candidates.oneDigit')}
          </span>
        </div>
      ))}
      {decision ? (
        <div
          className={
            decision.decision === 'confirmed' ? 'candidate-decision good-text' : 'candidate-decision muted'
          }
        >
          {decision.decision === 'confirmed'
            ? t('candidates.confirmedAs', {
                value: decision.value ?? '',
                who: decision.investigator,
                seq: decision.seq,
              })
            : t('candidates.dismissedBy', { who: decision.investigator, seq: decision.seq })}
        </div>
      ) : (
        <div className="row candidate-actions">
          {/* aria-disabled, not disabled, while the dismissal is saved: a disabled button loses the
              focus (to the page's body), and the keyboard user who pressed Dismiss with it. A press
              meanwhile does nothing. */}
          <button
            type="button"
            className="btn small primary"
            aria-disabled={busy || undefined}
            onClick={() => busy || setConfirming(true)}
          >
            {t('candidates.confirm')}
          </button>
          <button
            type="button"
            className="btn small"
            aria-disabled={busy || undefined}
            onClick={() => void dismiss()}
          >
            {t('candidates.dismiss')}
          </button>
        </div>
      )}
      {confirming && (
        <ConfirmCandidateDialog
          candidate={candidate}
          itemName={itemName}
          onClose={() => setConfirming(false)}
          onConfirmed={(value, seen) => {
            if (seen) onDecided(candidate, { how: 'confirmed', value });
            announceSelectorsChanged();
            onChanged();
          }}
        />
      )}
    </li>
  );
}

/**
 * Confirms a candidate: the investigator types the number as the picture really gives it (the
 * reading, or a possible match, is offered); the confirmation is a custody entry naming the reading.
 */
function ConfirmCandidateDialog({
  candidate,
  itemName,
  onClose,
  onConfirmed,
}: Readonly<{
  candidate: CandidateView;
  /** Named in its notices: once the dialog closed while it saved, they may come on another screen. */
  itemName: string;
  onClose: () => void;
  /** Written: `value` as confirmed; `seen` unless the dialog had closed, the save going on. */
  onConfirmed: (value: string, seen: boolean) => void;
}>) {
  const [value, setValue] = useState(candidate.possibleMatches[0]?.value ?? candidate.value);
  const submission = useSubmit(
    async () => {
      const done = await call('confirmCandidate', {
        itemId: candidate.itemId,
        type: candidate.type,
        read: candidate.value,
        pictureSha256: candidate.picture.sha256,
        value,
      });
      submission.tell({
        tone: 'good',
        title: t('candidates.confirmed', {
          value: done.decision?.value ?? value,
          read: candidate.original,
          item: itemName,
          seq: done.decision?.seq ?? 0,
        }),
      });
      const seen = submission.seen();
      // Closed already, the save having gone on: a dialog open now is another one, left open.
      if (seen) onClose();
      onConfirmed(done.decision?.value ?? value, seen);
    },
    [value],
    value.trim() === '' ? t('candidates.missingValue') : null,
    t('candidates.confirming', { read: candidate.original, item: itemName, value: value.trim() }),
  );
  const title = t('candidates.confirmTitle');
  // While the confirmation is written, Cancel, the dialog's × and Escape leave it open and say to
  // wait (once the save has run long, they close it, the save going on).
  const closing = closeUnlessSaving(submission, onClose, title);
  return (
    <Dialog
      title={title}
      {...closing}
      footer={
        <>
          <button
            type="button"
            className="btn"
            aria-disabled={closing.closeWaits || undefined}
            onClick={closing.onClose}
          >
            {t('common.cancel')}
          </button>
          <SubmitButton submission={submission} form="confirm-candidate">
            {t('candidates.confirmSubmit')}
          </SubmitButton>
        </>
      }
    >
      <form id="confirm-candidate" onSubmit={submission.onSubmit}>
        <p>
          {t('candidates.confirmExplain', { confidence: Math.round(candidate.confidence) })}{' '}
          <span className="candidate-written" dir="auto">
            {candidate.original}
          </span>
        </p>
        <TextField label={t('candidates.confirmValue')} value={value} mono onChange={setValue} />
        <p className="faint">{t('candidates.confirmCustody')}</p>
        <FormError message={submission.error} />
      </form>
    </Dialog>
  );
}
