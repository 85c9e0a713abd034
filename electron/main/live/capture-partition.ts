import { randomUUID } from 'node:crypto';
import { checkPersonaName } from '../../core/capture/browser/personas.js';

/**
 * The session partition of a capture view: `persist:persona-<name>` keeps an undercover
 * persona's log-in across restarts; without a persona, a fresh in-memory partition per view.
 */
export function capturePartition(persona: string | null): string {
  return persona === null ? `custos-capture-${randomUUID()}` : `persist:persona-${checkPersonaName(persona)}`;
}

/** Whether a capture view may navigate to an address: http(s) only, never file:, data:, custom schemes. */
export function isCapturableAddress(address: string): boolean {
  if (!URL.canParse(address)) return false;
  const { protocol } = new URL(address);
  return protocol === 'http:' || protocol === 'https:';
}
