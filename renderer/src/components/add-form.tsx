import type { ReactNode } from 'react';
import type { Submission } from '../hooks/use-submit.js';
import { FormError } from './field.js';
import { SubmitButton } from './submit-button.js';

/**
 * A form that adds one thing to a list (a watch, a selector): its fields, the submit button
 * (saying what to fill in if pressed while the submission lacks it, to wait while the service works), what follows the button,
 * and the service's refusal as it worded it.
 */
export function AddForm({
  name,
  className,
  submitLabel,
  submission,
  children,
  afterSubmit,
}: Readonly<{
  /** The form's accessible name. */
  name: string;
  className: string;
  submitLabel: string;
  submission: Submission;
  /** The fields. */
  children: ReactNode;
  afterSubmit?: ReactNode;
}>) {
  return (
    <form className={className} onSubmit={submission.onSubmit} aria-label={name}>
      {children}
      <SubmitButton submission={submission}>{submitLabel}</SubmitButton>
      {afterSubmit}
      <FormError message={submission.error} />
    </form>
  );
}
