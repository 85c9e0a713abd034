/**
 * The permission guards of a session. Electron cannot run here: its Session is the recording fake
 * (test/electron/fake-electron.ts), and the guards' handlers are called as Electron calls them.
 */
import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY, APP_ORIGIN, REPLAY_BASE } from '../../electron/main/app-address.js';
import { denySessionPermissions } from '../../electron/main/session-guards.js';
import { FakeSession } from './fake-electron.js';

type RequestHandler = (
  contents: null,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string; isMainFrame: boolean },
) => void;
type CheckHandler = (
  contents: null,
  permission: string,
  origin: string,
  details: { requestingUrl?: string; isMainFrame: boolean },
) => boolean;

/** The guards set on a fake session (with the app's origin or not), and how they answer a request and a check. */
function guarded(appOrigin?: string) {
  const session = new FakeSession();
  const blocked: string[] = [];
  denySessionPermissions(session as unknown as Session, (_what, detail) => blocked.push(detail), appOrigin);
  const request = (permission: string, requestingUrl: string, isMainFrame = true) => {
    let answer: boolean | undefined;
    (session.permissionRequestHandler as RequestHandler)(
      null,
      permission,
      (granted) => {
        answer = granted;
      },
      { requestingUrl, isMainFrame },
    );
    return answer;
  };
  const check = (permission: string, requestingUrl: string, isMainFrame = true) =>
    (session.permissionCheckHandler as CheckHandler)(null, permission, new URL(requestingUrl).origin, {
      requestingUrl,
      isMainFrame,
    });
  return { request, check, blocked };
}

describe("a session's permission guards", () => {
  it("let the app window's page write text to the clipboard, which its Copy buttons need", () => {
    const app = guarded(APP_ORIGIN);
    expect(app.request('clipboard-sanitized-write', APP_ENTRY.href)).toBe(true);
    expect(app.check('clipboard-sanitized-write', APP_ENTRY.href)).toBe(true);
    expect(app.blocked).toEqual([]);
  });

  it('refuse the clipboard to a replayed page, to a frame, to reading, and to any session given no app origin', () => {
    const app = guarded(APP_ORIGIN);
    const replayed = new URL('page', REPLAY_BASE).href;
    expect(app.request('clipboard-sanitized-write', replayed)).toBe(false);
    expect(app.request('clipboard-sanitized-write', APP_ENTRY.href, false)).toBe(false);
    expect(app.request('clipboard-read', APP_ENTRY.href)).toBe(false);
    expect(app.check('clipboard-read', APP_ENTRY.href)).toBe(false);
    expect(app.request('notifications', APP_ENTRY.href)).toBe(false);
    const capture = guarded();
    expect(capture.request('clipboard-sanitized-write', 'https://example.org/ad')).toBe(false);
    expect(capture.check('clipboard-sanitized-write', 'https://example.org/ad')).toBe(false);
    expect(capture.blocked).toEqual(['clipboard-sanitized-write requested by https://example.org/ad']);
  });
});
