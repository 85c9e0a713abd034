import type { WebContents, WebFrameMain } from 'electron';

/** The parts of an IPC event the sender check looks at. */
export interface SenderEvent {
  readonly sender: Pick<WebContents, 'id'>;
  readonly senderFrame: Pick<WebFrameMain, 'url' | 'parent'> | null;
}

/**
 * Decides whether an IPC message comes from the app's own window: the sender must be a web
 * contents the shell registered, the message must come from its top frame (not an iframe), and
 * that frame must show the app's own origin. Capture views and any page they load never pass.
 */
export class TrustedSenders {
  private readonly ids = new Set<number>();

  /** `appBase` is the address the app's page is served from, such as `custos-app://app/`. */
  constructor(private readonly appBase: URL) {}

  /** Trusts a window's web contents until it is destroyed. */
  add(contents: { readonly id: number; once(event: 'destroyed', listener: () => void): unknown }): void {
    this.ids.add(contents.id);
    contents.once('destroyed', () => this.ids.delete(contents.id));
  }

  /** Whether the event's sender may call the API. */
  allows(event: SenderEvent): boolean {
    if (!this.ids.has(event.sender.id)) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    // URL.origin is "null" for custom schemes, so scheme and host are compared instead.
    const url = URL.canParse(frame.url) ? new URL(frame.url) : null;
    return url !== null && url.protocol === this.appBase.protocol && url.host === this.appBase.host;
  }
}
