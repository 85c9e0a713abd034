/**
 * Whether a process with this id is running (EPERM: it is, under another user). A temporary file
 * named after a live process is never swept; a reused id only delays a sweep, never wrongly runs it.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
