/**
 * What a test needs from the machine, and what to do when it is missing: skip on a bare
 * machine (saying why), fail when CI sets PERMGRAPH_REQUIRE_ALL=1.
 */
import { execFileSync } from 'node:child_process';

export const REQUIRE_ALL = process.env['PERMGRAPH_REQUIRE_ALL'] === '1';

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** null when everything is there; else why not (and throws under PERMGRAPH_REQUIRE_ALL=1). */
export function missing(commands: readonly string[], install = 'apt-get install -y qemu-utils qemu-system-common'): string | null {
  const absent = commands.filter((c) => !hasCommand(c));
  if (absent.length === 0) return null;
  const why = `needs ${absent.join(', ')} (${install})`;
  if (REQUIRE_ALL) throw new Error(`PERMGRAPH_REQUIRE_ALL=1 but this test ${why}`);
  return why;
}

export const isRoot = (): boolean => process.getuid?.() === 0;
