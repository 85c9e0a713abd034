import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';

/**
 * How long a status said again stays empty first: a live region announces a change, not a text
 * set again unchanged, and a screen reader can miss a clearing undone within the same moment.
 */
const SAY_AGAIN_MS = 150;

/** A form's submission: whether it is under way, the service's refusal, and the handler. */
export interface Submission {
  readonly busy: boolean;
  /** The form was submitted again while it was under way: that submission was not sent (say so). */
  readonly stillBusy: boolean;
  readonly error: string | null;
  /** What the form lacks before it can be sent ("Enter a tag first."); null when it is ready. */
  readonly missing: string | null;
  /** The form was submitted while it lacked something: `missing` as it was then, to say (until it changes). */
  readonly refused: string | null;
  onSubmit(event: FormEvent): void;
  /** Runs another action of the form (a second button's) as a submission: one at a time with it. */
  run(action: () => Promise<void>): void;
  /**
   * Whether a submission is under way; if so, the form says to wait (`stillBusy`), so that what
   * was asked instead (closing its dialog, which would hide the outcome) can be refused aloud.
   */
  waitIfBusy(): boolean;
}

/**
 * Submits a form to the service: one submission at a time, the refusal shown as the service gave
 * it (the message says what to do), cleared at the next try, or as soon as one of `inputs` (the
 * form's values) changes: a refusal of what the person has since corrected must not stay. A
 * submission while one is under way is not sent but noted (`stillBusy`, until it ends), so that the
 * form can say so (`SubmitButton`) instead of dropping the Enter or the click unheard. A submission
 * while the form lacks something (`missing`, a required field empty) is not sent either: it is
 * noted (`refused`) so that the form says what to fill in, where a disabled button dropped the Enter.
 * Either, when it is said already (Enter pressed again on the same empty field), is cleared and said
 * again a moment later, so that a screen reader repeats it rather than saying nothing.
 */
export function useSubmit(
  action: () => Promise<void>,
  inputs: readonly unknown[] = [],
  missing: string | null = null,
): Submission {
  const [busy, setBusy] = useState(false);
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
  const latest = useRef({ action, missing });
  latest.current = { action, missing };
  const running = useRef(false);
  const run = useCallback(
    (action: () => Promise<void>) => {
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
      setBusy(true);
      setError(null);
      action()
        .then(
          () => undefined,
          (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
        )
        .finally(() => {
          running.current = false;
          setBusy(false);
          setStillBusy(false);
        });
    },
    [tellToWait, sayAgain],
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
  return {
    busy,
    stillBusy: stillBusy && !hushed,
    error,
    missing,
    refused: hushed ? null : refused,
    onSubmit,
    run,
    waitIfBusy,
  };
}

/**
 * A dialog's close (its Close or Cancel, its ×, Escape) for a form saved through `useSubmit`: while
 * the save runs it does not close (that would hide the save's outcome, written or refused) but says
 * to wait, as a second Enter does.
 */
export function closeUnlessSaving(submission: Submission, onClose: () => void): () => void {
  return () => {
    if (!submission.waitIfBusy()) onClose();
  };
}
