import { type ReactNode, useEffect, useRef, useState } from 'react';
import { t } from '../i18n/i18n.js';
import { Icon } from './icons.js';
import { RunningButton } from './running-button.js';

/** What can take the focus inside a dialog, in tab order (disabled and hidden controls left out). */
const FOCUSABLE =
  'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/** The dialog's controls that Tab can reach, in order. */
function tabStops(dialog: HTMLElement): HTMLElement[] {
  return [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.tabIndex >= 0 && element.getClientRects().length > 0,
  );
}

/** Tab on the last control goes to the first, Shift+Tab on the first to the last: the focus stays inside. */
function cycle(dialog: HTMLElement, event: KeyboardEvent): void {
  const stops = tabStops(dialog);
  const first = stops[0];
  const last = stops[stops.length - 1];
  const inside = dialog.contains(document.activeElement);
  if (!first || !last) {
    event.preventDefault();
    return;
  }
  const leaving = event.shiftKey
    ? document.activeElement === first || !inside
    : document.activeElement === last || !inside;
  if (leaving) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }
}

/**
 * A modal dialog. Focus starts on its first control, Tab and Shift+Tab cycle inside it (the page
 * behind cannot be reached, nor its shortcuts), Escape closes it unless `busy`, and on closing the
 * focus goes back to the control that opened it.
 */
export function Dialog({
  title,
  children,
  footer,
  onClose,
  busy = false,
  closeWaits = false,
  goesOn = false,
}: Readonly<{
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  onClose: () => void;
  busy?: boolean;
  /** Closing only says to wait now (a save runs): the × looks so (aria-disabled), as the footer's Close. */
  closeWaits?: boolean;
  /** A save has run long (`closeUnlessSaving`): the dialog says that closing it lets the save go on. */
  goesOn?: boolean;
}>) {
  const ref = useRef<HTMLDivElement>(null);
  // What had the focus when the dialog opened (taken before anything inside it is focused).
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement ? document.activeElement : null,
  );
  const closing = useRef({ onClose, busy });
  closing.current = { onClose, busy };
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>(
      'textarea, input, select, button:not(.dialog-close)',
    );
    first?.focus();
    // Focus that leaves the dialog anyway (a click on the backdrop) is brought back.
    const onFocusIn = (event: FocusEvent) => {
      const dialog = ref.current;
      if (dialog && event.target instanceof Node && !dialog.contains(event.target)) {
        (tabStops(dialog)[0] ?? dialog).focus();
      }
    };
    // Taken before anything else on the page (the screens' own Escape), wherever the focus is.
    const onKeyDown = (event: KeyboardEvent) => {
      const dialog = ref.current;
      if (!dialog) return;
      if (event.key === 'Escape') {
        event.stopPropagation();
        event.preventDefault();
        if (!closing.current.busy) closing.current.onClose();
      } else if (event.key === 'Tab') {
        cycle(dialog, event);
      }
    };
    // The screens' own shortcuts (Alt+1… to another screen, "/", Ctrl+L) listen on the window: a
    // key stops at the document once the dialog's controls have had it, so that nothing behind the
    // modal acts on it (another screen, taken mid-save, hid whether it was written).
    const keepKey = (event: KeyboardEvent) => event.stopPropagation();
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('keydown', keepKey);
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('keydown', keepKey);
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);
  // A control that had the focus went away (the list gave way to the progress): the dialog keeps it.
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && (document.activeElement === document.body || document.activeElement === null)) {
      (tabStops(dialog)[0] ?? dialog).focus();
    }
  });

  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title} ref={ref} tabIndex={-1}>
        <div className="dialog-head">
          <h2>{title}</h2>
          <span className="spacer" />
          {/* While its work runs (`busy`) the × is aria-disabled and busy, not disabled: it keeps
              the keyboard's place and Tab still reaches it; a press then does nothing. */}
          <RunningButton
            className="btn icon dialog-close"
            aria-label={t('common.close')}
            running={busy}
            aria-disabled={closeWaits || undefined}
            onPress={onClose}
          >
            <Icon name="cross" />
          </RunningButton>
        </div>
        <div className="dialog-body">{children}</div>
        {/* Always on the page (out of sight when empty), so that a screen reader hears it change. */}
        <p role="status" className={goesOn ? 'dialog-goes-on' : 'sr-only'}>
          {goesOn ? t('dialog.saveGoesOn') : ''}
        </p>
        {footer && <div className="dialog-foot">{footer}</div>}
      </div>
    </div>
  );
}
