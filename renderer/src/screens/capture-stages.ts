import type { ApiProgress } from '../../../shared/api.js';
import type { MessageKey } from '../i18n/i18n.js';

/** How far through one page's capture each stage of the engine is (for a per-page bar). */
const STAGE_FRACTION: Record<string, number> = {
  starting: 0.02,
  loading: 0.1,
  scrolling: 0.35,
  screenshots: 0.55,
  snapshot: 0.75,
  writing: 0.9,
  stored: 1,
};

const STAGE_LABEL: Record<string, MessageKey> = {
  starting: 'capture.stage.starting',
  loading: 'capture.stage.loading',
  scrolling: 'capture.stage.scrolling',
  screenshots: 'capture.stage.screenshots',
  snapshot: 'capture.stage.snapshot',
  writing: 'capture.stage.writing',
  stored: 'capture.stage.stored',
  recording: 'capture.stage.recording',
};

/** The progress of one page as a bar reads it. */
export function pageProgress(stage: string | undefined): ApiProgress {
  return { done: Math.round((STAGE_FRACTION[stage ?? 'starting'] ?? 0.02) * 100), total: 100 };
}

/** The message naming a stage. */
export function stageLabel(stage: string | undefined): MessageKey {
  return STAGE_LABEL[stage ?? 'starting'] ?? 'capture.stage.starting';
}
