/**
 * What a run on the daemon would leave behind if the process were interrupted: daemons, bind
 * mounts, immutable files, scratch directories. A run registers its clean-up for as long as it
 * runs; the commands that run daemons call cleanUpOnSignals(), so that Ctrl-C (SIGINT) or SIGTERM
 * undoes it all, newest first, before the process exits.
 */
const cleanups: (() => void)[] = [];

/** Registers a clean-up; the function returned unregisters it. */
export function whileRunning(cleanup: () => void): () => void {
  cleanups.push(cleanup);
  return () => {
    const at = cleanups.indexOf(cleanup);
    if (at >= 0) cleanups.splice(at, 1);
  };
}

let installed = false;

export function cleanUpOnSignals(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          cleanup();
        } catch {
          // the others still run
        }
      }
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
