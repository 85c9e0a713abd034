// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FirstRun } from '../../renderer/src/screens/first-run.js';
import { fakeApi, type Mounted, render, settle, typeInto } from './support/render.js';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

describe('first run', () => {
  it('until a name is given, says to enter it when the button is pressed and sends nothing; then sends the profile with empty fields as null', async () => {
    const calls = fakeApi({ initProfile: { id: 'x', name: 'Ana Ruiz' } });
    const onDone = vi.fn();
    mounted = await render(<FirstRun onDone={onDone} />);
    const button = mounted.container.querySelector<HTMLButtonElement>('button[type="submit"]');
    // aria-disabled, not disabled: a disabled default button made Enter do nothing without a word.
    expect(button?.getAttribute('aria-disabled')).toBe('true');
    expect(button?.disabled).toBe(false);
    await act(async () => button?.click());
    await settle();
    expect(mounted.container.querySelector('[role="status"]')?.textContent).toBe(
      'Enter the investigator name first.',
    );
    expect(calls).toEqual([]);
    const name = mounted.container.querySelector<HTMLInputElement>('#profile-name');
    if (!name) throw new Error('no name field');
    await typeInto(name, 'Ana Ruiz');
    expect(button?.getAttribute('aria-disabled')).toBeNull();
    expect(mounted.container.querySelector('[role="status"]')?.textContent).toBe('');
    await act(async () => button?.click());
    await settle();
    expect(calls).toEqual([
      { method: 'initProfile', input: { name: 'Ana Ruiz', agency: null, badge: null } },
    ]);
    expect(onDone).toHaveBeenCalledWith({ id: 'x', name: 'Ana Ruiz' });
  });

  it("shows the service's refusal as a sentence (the service words it for the command line)", async () => {
    fakeApi({ initProfile: new Error('investigator name must be at most 200 characters') });
    mounted = await render(<FirstRun onDone={() => undefined} />);
    const name = mounted.container.querySelector<HTMLInputElement>('#profile-name');
    if (!name) throw new Error('no name field');
    await typeInto(name, 'x'.repeat(201));
    await act(async () =>
      mounted?.container.querySelector<HTMLButtonElement>('button[type="submit"]')?.click(),
    );
    await settle();
    expect(mounted.container.querySelector('[role="alert"]')?.textContent).toBe(
      'Investigator name must be at most 200 characters.',
    );
  });
});
