/**
 * Whether a stored capture may not show what was asked for: the server answered an error status
 * (4xx, 5xx), or the page shows a platform's removal notice or login wall (watch/removal-notices.ts).
 * The capture is evidence all the same (that the content was gone is worth sealing); the screens
 * show it as a warning instead of a plain success.
 */
import type { CaptureWarning } from '../../../shared/api.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { findNewNotice } from '../watch/classify-check.js';
import { observeItem } from '../watch/page-observation.js';

/** The warning for one captured web page, or null when it looks like the content was there. */
export async function captureWarning(store: EvidenceStore, itemId: string): Promise<CaptureWarning | null> {
  const page = await observeItem(store, itemId, null);
  const httpStatus = page.httpStatus >= 400 ? page.httpStatus : null;
  const notice = findNewNotice(`${page.title}\n${page.text}`, '', page.finalUrl || page.requestedUrl);
  if (httpStatus === null && !notice) return null;
  return {
    itemId,
    httpStatus,
    notice: notice ? { text: notice.text, site: notice.platform, kind: notice.kind } : null,
  };
}

/** The warnings of the web captures among these items (imports and videos have none). */
export async function captureWarnings(
  store: EvidenceStore,
  items: readonly { readonly id: string; readonly kind: string; readonly url?: string | null }[],
): Promise<CaptureWarning[]> {
  const warnings: CaptureWarning[] = [];
  for (const item of items) {
    if (item.kind !== 'capture') continue;
    const warning = await captureWarning(store, item.id);
    if (warning) warnings.push(warning);
  }
  return warnings;
}
