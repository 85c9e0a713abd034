import { type ReactNode, useLayoutEffect, useRef } from 'react';
import type { Submission } from '../hooks/use-submit.js';
import { t } from '../i18n/i18n.js';

/**
 * A form's submit button, for every form that saves through `useSubmit`. While the save runs it
 * stays focusable and pressable (aria-disabled, not disabled: a form whose default button is
 * disabled drops an Enter without a word, and a disabled button loses the focus); a submission
 * then is not sent, and a polite status says to wait, until the save ends. Disabled only while
 * the form is not `ready` (a required field empty). Disabled under the keyboard's focus (a save
 * from the button that emptied its field), it gives the focus to the form's first field, where the
 * next entry is typed, instead of dropping it to the page.
 */
export function SubmitButton({
  submission,
  ready = true,
  className = 'btn primary',
  form,
  children,
}: Readonly<{
  submission: Submission;
  ready?: boolean;
  className?: string;
  /** The form's id, for a button outside it (a dialog's footer). */
  form?: string;
  children: ReactNode;
}>) {
  const disabled = !ready && !submission.busy;
  const button = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    // Only where the keyboard put the focus (:focus-visible): a mouse user's click leaves it as it
    // was, so that Escape still leaves the screen rather than meeting a field.
    const own = button.current;
    if (!disabled || !own || document.activeElement !== own || !own.matches(':focus-visible')) return;
    own.form
      ?.querySelector<HTMLElement>('input:not(:disabled), textarea:not(:disabled), select:not(:disabled)')
      ?.focus();
  }, [disabled]);
  return (
    <>
      <button
        ref={button}
        type="submit"
        form={form}
        className={className}
        disabled={disabled}
        aria-disabled={submission.busy || undefined}
      >
        {children}
      </button>
      {/* Always on the page (out of sight when empty), so that a screen reader hears it change. */}
      <span role="status" className={submission.stillBusy ? 'form-status' : 'sr-only'}>
        {submission.stillBusy ? t('form.stillSaving') : ''}
      </span>
    </>
  );
}
