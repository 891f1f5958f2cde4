/** The environment the QEMU programs the harness starts run in. */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The environment a QEMU program of the installation of `binary` runs in: its own module
 * directory (`<prefix>/lib/<arch>/qemu`, QEMU_MODULE_DIR, searched first) where it has one. A
 * QEMU unpacked beside the system's would otherwise load the system QEMU's block modules (curl,
 * ssh, rbd, …), which another build refuses or cannot load.
 */
export function qemuEnvironment(binary: string | undefined): NodeJS.ProcessEnv {
  if (!binary?.includes('/')) return process.env;
  const lib = join(dirname(binary), '..', 'lib');
  const arches = existsSync(lib) ? readdirSync(lib).filter((arch) => existsSync(join(lib, arch, 'qemu'))) : [];
  return arches.length === 1 ? { ...process.env, QEMU_MODULE_DIR: join(lib, arches[0]!, 'qemu') } : process.env;
}
