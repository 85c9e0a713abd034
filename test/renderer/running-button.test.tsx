// @vitest-environment happy-dom
import { act, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { RunningButton } from '../../renderer/src/components/running-button.js';
import { type Mounted, render } from './support/render.js';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

let presses = 0;
let setRunning: (running: boolean) => void = () => undefined;

/** A running button whose `running` the test sets, counting its presses. */
function Harness() {
  const [running, set] = useState(false);
  setRunning = set;
  return (
    <RunningButton running={running} onPress={() => presses++}>
      Push
    </RunningButton>
  );
}

describe('a running button', () => {
  it('tells a screen reader its action is under way (aria-busy), keeps the focus, and a click meanwhile does nothing', async () => {
    mounted = await render(<Harness />);
    const button = mounted.container.querySelector('button') as HTMLButtonElement;
    expect(button.getAttribute('aria-busy')).toBeNull();
    button.focus();
    act(() => button.click());
    expect(presses).toBe(1);
    act(() => setRunning(true));
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.disabled).toBe(false);
    expect(document.activeElement).toBe(button);
    act(() => button.click());
    expect(presses).toBe(1);
    act(() => setRunning(false));
    expect(button.getAttribute('aria-busy')).toBeNull();
  });
});

let submitted = 0;

/** A form whose default button is a running submit button, counting its submissions. */
function FormHarness() {
  const [running, set] = useState(false);
  setRunning = set;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submitted++;
      }}
    >
      <RunningButton type="submit" running={running}>
        Capture
      </RunningButton>
    </form>
  );
}

describe('a running submit button', () => {
  it('submits its form when pressed, and not while its action runs (busy, the focus kept)', async () => {
    mounted = await render(<FormHarness />);
    const button = mounted.container.querySelector('button') as HTMLButtonElement;
    expect(button.type).toBe('submit');
    button.focus();
    act(() => button.click());
    expect(submitted).toBe(1);
    act(() => setRunning(true));
    expect(button.getAttribute('aria-busy')).toBe('true');
    act(() => button.click());
    expect(submitted).toBe(1);
    expect(document.activeElement).toBe(button);
    act(() => setRunning(false));
    act(() => button.click());
    expect(submitted).toBe(2);
  });
});
