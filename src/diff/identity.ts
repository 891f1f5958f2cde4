/**
 * The user the daemon and its setup run as. Root ignores file modes, so a scenario about
 * unwritable storage runs as an unprivileged user (`nobody`), switched to with setpriv, which
 * execs the command so that the daemon keeps the pid it was started with.
 */
import { chownSync, readFileSync } from 'node:fs';

export interface Identity {
  /** null: the current user. */
  readonly user: string | null;
  readonly uid: number;
  readonly gid: number;
  /** argv run as this user. */
  wrap(argv: readonly string[]): string[];
  /** Gives a path this user made to this user. */
  own(path: string): void;
}

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
}

export function lookupUser(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[0] === user);
  if (!line) throw new IdentityError(`no such user '${user}'`);
  const fields = line.split(':');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

const currentUid = (): number => process.getuid?.() ?? 0;

/** `null`, '', '-' and 'self' mean the current user. */
export function identity(user: string | null | undefined): Identity {
  const name = user && !['-', 'self'].includes(user) ? user : null;
  const { uid, gid } = name ? lookupUser(name) : { uid: currentUid(), gid: process.getgid?.() ?? 0 };
  const switching = name !== null && uid !== currentUid();
  if (switching && currentUid() !== 0) throw new IdentityError(`running as '${name}' needs root`);
  return {
    user: name,
    uid,
    gid,
    wrap: (argv) => (switching ? ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', ...argv] : [...argv]),
    own: (path) => {
      if (currentUid() === 0 && (uid !== 0 || gid !== 0)) chownSync(path, uid, gid);
    },
  };
}
