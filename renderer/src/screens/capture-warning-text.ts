import type { CaptureWarning } from '../../../shared/api.js';
import { t } from '../i18n/i18n.js';

/** What a capture warning says to a person: the server's status, the notice the page shows. */
export function captureWarningText(warning: CaptureWarning): string {
  const parts: string[] = [];
  if (warning.httpStatus !== null) parts.push(t('capture.warning.status', { status: warning.httpStatus }));
  if (warning.notice)
    parts.push(t('capture.warning.notice', { text: warning.notice.text, site: warning.notice.site }));
  return parts.join(' ');
}
