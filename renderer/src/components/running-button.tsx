import type { ButtonHTMLAttributes } from 'react';

/**
 * A button whose own action runs for a while (a push, an audit, a removal, a request, a capture):
 * while `running` it is `aria-disabled`, not `disabled`, and a press does nothing. A disabled
 * button loses the keyboard's focus to the page's body, and the keyboard user who pressed it with
 * it; this one keeps it. (React renders the update of a press before the next key or click is
 * handled, so a second Enter already meets it running.) `disabled` stays for what is not a
 * running action: nothing to act on yet. `aria-busy` tells a screen reader why the button it is on
 * does nothing (aria-disabled alone says "unavailable", not that its action is under way).
 * A `submit` button (a form's default, which Enter in a field presses too) sends its form unless
 * running; a press while running is stopped before it submits. `aria-disabled` given (a dialog's
 * × while closing only says to wait) marks it unavailable when not running, a press still handled.
 */
export function RunningButton({
  running,
  onPress,
  type = 'button',
  className = 'btn',
  'aria-disabled': unavailable,
  ...rest
}: Readonly<
  Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onClick' | 'type' | 'aria-busy'> & {
    running: boolean;
    /** What a press does; a submit button may leave it to its form's onSubmit. */
    onPress?: () => void;
    type?: 'button' | 'submit';
  }
>) {
  return (
    <button
      {...rest}
      type={type}
      className={className}
      aria-disabled={running || unavailable || undefined}
      aria-busy={running || undefined}
      onClick={(event) => {
        if (running) event.preventDefault();
        else onPress?.();
      }}
    />
  );
}
