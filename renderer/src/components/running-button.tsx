import type { ButtonHTMLAttributes } from 'react';

/**
 * A button whose own action runs for a while (a push, an audit, a removal, a request): while
 * `running` it is `aria-disabled`, not `disabled`, and a press does nothing. A disabled button
 * loses the keyboard's focus to the page's body, and the keyboard user who pressed it with it;
 * this one keeps it. (React renders the update of a press before the next key or click is
 * handled, so a second Enter already meets it running.) `disabled` stays for what is not a
 * running action: nothing to act on yet. `aria-busy` tells a screen reader why the button it is on
 * does nothing (aria-disabled alone says "unavailable", not that its action is under way).
 */
export function RunningButton({
  running,
  onPress,
  className = 'btn',
  ...rest
}: Readonly<
  Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onClick' | 'type' | 'aria-disabled' | 'aria-busy'> & {
    running: boolean;
    onPress: () => void;
  }
>) {
  return (
    <button
      {...rest}
      type="button"
      className={className}
      aria-disabled={running || undefined}
      aria-busy={running || undefined}
      onClick={running ? undefined : onPress}
    />
  );
}
