import { useId } from 'react';
import { LiveRegion } from './live-region.js';

/** A form's refusal, as the service worded it (as a sentence); nothing when there is none. */
export function FormError({ message }: Readonly<{ message: string | null }>) {
  if (!message) return null;
  return (
    <LiveRegion role="alert" className="error-box">
      {message}
    </LiveRegion>
  );
}

/** A labelled one-line text field, as every form of the app lays it out. */
export function TextField({
  label,
  value,
  onChange,
  required = false,
  mono = false,
  placeholder,
  id,
  autoFocusTarget = false,
}: Readonly<{
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  mono?: boolean;
  placeholder?: string;
  id?: string;
  /** The screen's first action: it takes the focus when the screen opens (`useArrivalFocus`). */
  autoFocusTarget?: boolean;
}>) {
  const generated = useId();
  const inputId = id ?? generated;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        className={mono ? 'input mono' : 'input'}
        dir={mono ? 'ltr' : 'auto'}
        value={value}
        placeholder={placeholder}
        required={required}
        data-autofocus={autoFocusTarget || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}
