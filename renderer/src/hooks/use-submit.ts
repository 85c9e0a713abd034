import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { type Notice, useNotice } from '../components/notices.js';
import { t } from '../i18n/i18n.js';

/**
 * How long a status said again stays empty first: a live region announces a change, not a text
 * set again unchanged, and a screen reader can miss a clearing undone within the same moment.
 */
const SAY_AGAIN_MS = 150;

/**
 * How long a save runs before its dialog may be closed with the save going on: a save that never
 * settles (a held lock, a hung disk) must not trap anyone in its dialog.
 */
export const SAVE_GOES_ON_AFTER_MS = 10_000;

/** A form's submission: whether it is under way, the service's refusal, and the handler. */
export interface Submission {
  readonly busy: boolean;
  /** The save under way has run for SAVE_GOES_ON_AFTER_MS: its dialog may close, the save going on. */
  readonly slow: boolean;
  /** The form was submitted again while it was under way: that submission was not sent (say so). */
  readonly stillBusy: boolean;
  readonly error: string | null;
  /** What the form lacks before it can be sent ("Enter a tag first."); null when it is ready. */
  readonly missing: string | null;
  /** The form was submitted while it lacked something: `missing` as it was then, to say (until it changes). */
  readonly refused: string | null;
  onSubmit(event: FormEvent): void;
  /**
   * Runs another action of the form (a second button's) as a submission: one at a time with it;
   * `what` names it as `useSubmit`'s `what` names the form's own.
   */
  run(action: () => Promise<void>, what?: string): void;
  /**
   * Whether a submission is under way; if so, the form says to wait (`stillBusy`), so that what
   * was asked instead (closing its dialog, which would hide the outcome) can be refused aloud.
   */
  waitIfBusy(): boolean;
  /**
   * The form goes away while its save runs (its dialog closed, `title` its title): from now the
   * refusal, if the save is refused, is told in a notice, the form no longer being there to show it,
   * naming the save by its `what` as it was submitted, else by `title`.
   */
  goOnUnseen(title: string): void;
  /** Whether the form still shows the save under way: false once its dialog closed, the save going on. */
  seen(): boolean;
  /**
   * Shows the notice of the save's outcome (its success): as any notice while the form is seen;
   * kept until dismissed once its dialog closed with the save going on (`goOnUnseen`), as its
   * refusal is. That outcome was promised in a notice ("A notice will say whether it was written
   * or refused") to someone who has gone on to other work, perhaps to another screen (which clears
   * the notices) or out of the window: gone after NOTICE_MS or at the next screen change, it could
   * come and go unseen, and whether the evidence was written be left unknown.
   */
  tell(notice: Notice): void;
}

/**
 * Submits a form to the service: one submission at a time, the refusal shown as the service gave
 * it (as a sentence, `ApiError`; the message says what to do), cleared at the next try, or as
 * soon as one of `inputs` (the form's values) changes: a refusal of what the person has since
 * corrected must not stay. A submission while one is under way is not sent but noted (`stillBusy`,
 * until it ends), so that the form can say so (`SubmitButton`) instead of dropping the Enter or the
 * click unheard. A submission
 * while the form lacks something (`missing`, a required field empty) is not sent either: it is
 * noted (`refused`) so that the form says what to fill in, where a disabled button dropped the Enter.
 * Either, when it is said already (Enter pressed again on the same empty field), is cleared and said
 * again a moment later, so that a screen reader repeats it rather than saying nothing. `what`
 * names what a submission saves ("Adding the tag urgent to 2 items"), taken as it is when the save
 * starts: a dialog closed while it runs tells its outcome in a notice, after the person may have
 * changed the form or opened the dialog again on something else.
 */
export function useSubmit(
  action: () => Promise<void>,
  inputs: readonly unknown[] = [],
  missing: string | null = null,
  what: string | null = null,
): Submission {
  const notice = useNotice();
  const [busy, setBusy] = useState(false);
  const [slow, setSlow] = useState(false);
  // The title of the dialog closed while its save runs: its outcome is told in a notice.
  const unseen = useRef<string | null>(null);
  const [stillBusy, setStillBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const inputsKey = JSON.stringify(inputs);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the inputs
  useEffect(() => setError(null), [inputsKey]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: said until the form changes what it lacks
  useEffect(() => setRefused(null), [missing]);
  // What the status says now (as last drawn), and a moment's silence before it is said again.
  const said = useRef({ stillBusy, refused });
  said.current = { stillBusy, refused };
  const [hushed, setHushed] = useState(false);
  const hush = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(hush.current), []);
  const sayAgain = useCallback(() => {
    clearTimeout(hush.current);
    setHushed(true);
    hush.current = setTimeout(() => setHushed(false), SAY_AGAIN_MS);
  }, []);
  const tellToWait = useCallback(() => {
    if (said.current.stillBusy) sayAgain();
    setStillBusy(true);
  }, [sayAgain]);
  const latest = useRef({ action, missing, what });
  latest.current = { action, missing, what };
  // What the save under way saves, as named when it started.
  const saving = useRef<string | null>(null);
  const running = useRef(false);
  const run = useCallback(
    (action: () => Promise<void>, what?: string) => {
      if (running.current) {
        tellToWait();
        return;
      }
      if (latest.current.missing !== null) {
        if (said.current.refused === latest.current.missing) sayAgain();
        setRefused(latest.current.missing);
        return;
      }
      running.current = true;
      unseen.current = null;
      saving.current = what ?? latest.current.what;
      setBusy(true);
      setError(null);
      // Past the bound, "wait for it to finish" is no longer all there is to say: the dialog may close.
      const slowing = setTimeout(() => {
        setSlow(true);
        setStillBusy(false);
      }, SAVE_GOES_ON_AFTER_MS);
      action()
        .then(
          () => undefined,
          (e: unknown) => {
            const message = e instanceof Error ? e.message : String(e);
            if (unseen.current === null) setError(message);
            else
              notice({
                tone: 'bad',
                title: t('form.refusedUnseen', { what: unseen.current }),
                body: message,
                untilDismissed: true,
              });
          },
        )
        .finally(() => {
          clearTimeout(slowing);
          running.current = false;
          setBusy(false);
          setSlow(false);
          setStillBusy(false);
        });
    },
    [tellToWait, sayAgain, notice],
  );
  const onSubmit = useCallback(
    (event: FormEvent) => {
      event.preventDefault();
      run(() => latest.current.action());
    },
    [run],
  );
  const waitIfBusy = useCallback(() => {
    if (running.current) tellToWait();
    return running.current;
  }, [tellToWait]);
  const goOnUnseen = useCallback(
    (title: string) => {
      if (!running.current) return;
      const what = saving.current ?? title;
      unseen.current = what;
      notice({ tone: 'info', title: t('form.savingUnseen', { what }) });
    },
    [notice],
  );
  const seen = useCallback(() => unseen.current === null, []);
  const tell = useCallback(
    (outcome: Notice) => notice(unseen.current === null ? outcome : { ...outcome, untilDismissed: true }),
    [notice],
  );
  return {
    busy,
    slow,
    stillBusy: stillBusy && !hushed,
    error,
    missing,
    refused: hushed ? null : refused,
    onSubmit,
    run,
    waitIfBusy,
    goOnUnseen,
    seen,
    tell,
  };
}

/** How a dialog saved through `useSubmit` closes: its handler, and what its × and Close look like. */
export interface DialogClosing {
  /** For its Close or Cancel, its × and Escape. */
  readonly onClose: () => void;
  /** Closing only says to wait now: the × and the footer's Close look so (aria-disabled). */
  readonly closeWaits: boolean;
  /** The save has run long: the dialog says it may close, the save going on and its outcome told. */
  readonly goesOn: boolean;
}

/**
 * A dialog's close (its Close or Cancel, its ×, Escape) for a form saved through `useSubmit`: while
 * the save runs it does not close (that would hide the save's outcome, written or refused) but says
 * to wait, as a second Enter does; once the save has run SAVE_GOES_ON_AFTER_MS (it may never
 * settle), it closes and the save goes on, its outcome told in a notice (`goOnUnseen`; a written
 * one by the dialog's own notice of success). `title` is the dialog's, to name it in the notice.
 */
export function closeUnlessSaving(submission: Submission, onClose: () => void, title: string): DialogClosing {
  const goesOn = submission.busy && submission.slow;
  return {
    onClose: () => {
      if (goesOn) {
        submission.goOnUnseen(title);
        onClose();
      } else if (!submission.waitIfBusy()) onClose();
    },
    closeWaits: submission.busy && !goesOn,
    goesOn,
  };
}
