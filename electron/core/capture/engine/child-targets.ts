import type { Protocol } from 'devtools-protocol';
import { type CdpSession, NestedCdpSession } from './cdp-session.js';

/** Sets up a child target (an out-of-process iframe, a worker) before it runs its first line. */
export type ChildSetup = (child: CdpSession, target: Protocol.Target.TargetInfo) => Promise<void>;

/**
 * Attaches to every child target of `session` as it appears, paused, lets `setup` enable what it
 * needs (so the child's first request is recorded too), then lets it run. Children of children are
 * attached the same way. Returns a function that detaches from all of them.
 */
export async function attachChildTargets(session: CdpSession, setup: ChildSetup): Promise<() => void> {
  const children = new Set<NestedCdpSession>();
  const closeAll: (() => void)[] = [];
  const off = session.on('Target.attachedToTarget', (event) => {
    const child = new NestedCdpSession(session, event.sessionId);
    children.add(child);
    void (async () => {
      try {
        await setup(child, event.targetInfo);
        closeAll.push(await attachChildTargets(child, setup));
      } catch {
        // The child went away while being set up (a frame removed at once): nothing to record.
      } finally {
        if (event.waitingForDebugger)
          await child.send('Runtime.runIfWaitingForDebugger').catch(() => undefined);
      }
    })();
  });
  await session.send('Target.setAutoAttach', {
    autoAttach: true,
    waitForDebuggerOnStart: true,
    flatten: false,
  });
  return () => {
    off();
    for (const close of closeAll) close();
    for (const child of children) child.close();
  };
}
