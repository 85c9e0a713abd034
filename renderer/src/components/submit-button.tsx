import type { ReactNode } from 'react';
import type { Submission } from '../hooks/use-submit.js';
import { t } from '../i18n/i18n.js';

/**
 * A form's submit button, for every form that saves through `useSubmit`. While the save runs it
 * stays focusable and pressable (aria-disabled, not disabled: a form whose default button is
 * disabled drops an Enter without a word, and a disabled button loses the focus); a submission
 * then is not sent, and a polite status says to wait, until the save ends. Disabled only while
 * the form is not `ready` (a required field empty).
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
  return (
    <>
      <button
        type="submit"
        form={form}
        className={className}
        disabled={!ready && !submission.busy}
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
