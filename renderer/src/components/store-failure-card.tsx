import { type ReactNode, useEffect, useRef } from 'react';
import { SetupCardHeader } from './setup-card-header.js';

/**
 * A card shown in place of the window when the store could not be opened (its integrity check, or
 * another failure to read it): an alert labelled by its heading, which takes the focus when it
 * appears, so that a keyboard or screen-reader user meets it first.
 */
export function StoreFailureCard({
  titleId,
  title,
  className,
  children,
}: Readonly<{ titleId: string; title: string; className: string; children: ReactNode }>) {
  const card = useRef<HTMLElement>(null);
  useEffect(() => card.current?.focus(), []);
  return (
    <div className="centered">
      <section
        ref={card}
        tabIndex={-1}
        className={`setup-card ${className}`}
        role="alert"
        aria-labelledby={titleId}
      >
        <SetupCardHeader titleId={titleId} title={title} />
        {children}
      </section>
    </div>
  );
}
