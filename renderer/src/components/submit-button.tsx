import { type ReactNode, useLayoutEffect, useRef } from 'react';
import type { Submission } from '../hooks/use-submit.js';
import { t } from '../i18n/i18n.js';

/**
 * A form's submit button, for every form that saves through `useSubmit`. It is never disabled (a
 * form whose default button is disabled drops an Enter without a word, and a disabled button loses
 * the focus): aria-disabled while the save runs or while the form lacks something (the
 * submission's `missing`), and pressed then (or Enter in a field), it sends nothing and a polite
 * status says why: to wait until the save ends, or what to fill in first. When the form comes to
 * lack something under the keyboard's focus (a save from the button that emptied its field), it
 * gives the focus to the form's first field, where the next entry is typed.
 */
export function SubmitButton({
  submission,
  className = 'btn primary',
  form,
  children,
}: Readonly<{
  submission: Submission;
  className?: string;
  /** The form's id, for a button outside it (a dialog's footer). */
  form?: string;
  children: ReactNode;
}>) {
  const waiting = submission.missing !== null && !submission.busy;
  const button = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    // Only where the keyboard put the focus (:focus-visible): a mouse user's click leaves it as it
    // was, so that Escape still leaves the screen rather than meeting a field.
    const own = button.current;
    if (!waiting || !own || document.activeElement !== own || !own.matches(':focus-visible')) return;
    own.form
      ?.querySelector<HTMLElement>('input:not(:disabled), textarea:not(:disabled), select:not(:disabled)')
      ?.focus();
  }, [waiting]);
  const status = submission.stillBusy ? t('form.stillSaving') : submission.refused;
  return (
    <>
      <button
        ref={button}
        type="submit"
        form={form}
        className={className}
        aria-disabled={submission.busy || waiting || undefined}
      >
        {children}
      </button>
      {/* Always on the page (out of sight when empty), so that a screen reader hears it change. */}
      <span role="status" className={status ? 'form-status' : 'sr-only'}>
        {status ?? ''}
      </span>
    </>
  );
}
