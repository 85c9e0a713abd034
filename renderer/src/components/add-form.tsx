import type { ReactNode } from 'react';
import type { Submission } from '../hooks/use-submit.js';
import { FormError } from './field.js';

/**
 * A form that adds one thing to a list (a watch, a selector): its fields, the submit button
 * (disabled while the fields are not `ready` or while the service works), what follows the button,
 * and the service's refusal as it worded it.
 */
export function AddForm({
  name,
  className,
  submitLabel,
  ready,
  submission,
  children,
  afterSubmit,
}: Readonly<{
  /** The form's accessible name. */
  name: string;
  className: string;
  submitLabel: string;
  ready: boolean;
  submission: Submission;
  /** The fields. */
  children: ReactNode;
  afterSubmit?: ReactNode;
}>) {
  return (
    <form className={className} onSubmit={submission.onSubmit} aria-label={name}>
      {children}
      <button type="submit" className="btn primary" disabled={submission.busy || !ready}>
        {submitLabel}
      </button>
      {afterSubmit}
      <FormError message={submission.error} />
    </form>
  );
}
