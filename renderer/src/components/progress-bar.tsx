import type { ApiProgress } from '../../../shared/api.js';

/** How far long work has got; indeterminate while the total is not known. */
export function ProgressBar({
  progress,
  state = 'running',
  label,
}: Readonly<{ progress: ApiProgress | null; state?: 'running' | 'done' | 'failed'; label: string }>) {
  const known = progress !== null && progress.total > 0;
  const fraction = state === 'done' ? 1 : known ? Math.min(1, progress.done / progress.total) : 0;
  const classes = [
    'progress',
    state === 'running' && !known ? 'indeterminate' : '',
    state === 'running' ? '' : state,
  ];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={known || state === 'done' ? Math.round(fraction * 100) : undefined}
    >
      <div style={{ width: `${fraction * 100}%` }} />
    </div>
  );
}
