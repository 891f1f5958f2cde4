/**
 * How the command line reports a mistake: always one line on stderr, naming where and what, and
 * never a stack trace.
 */
import { ScenarioError } from '../scenario/load.js';

/** A mistake in how the command line was used. */
export class UsageError extends Error {}

/** Errors of the surroundings (a user, the daemon, a socket), not of permgraph: said as they are. */
const OUTSIDE_ERRORS = new Set(['IdentityError', 'DaemonError', 'SetupError', 'QmpTimeout', 'QmpConnectionError', 'VersionError']);
const MAX_ERROR_LINE = 1000;

/** Control characters (a newline in a file name) written as escapes, and a very long line cut short. */
function oneLine(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return line.length > MAX_ERROR_LINE ? `${line.slice(0, MAX_ERROR_LINE)}…` : line;
}

/** What the command line prints for an error: one line, whatever the error. */
export function errorLine(error: unknown): string {
  if (error instanceof ScenarioError || error instanceof UsageError) return `permgraph: ${oneLine(error.message)}\n`;
  if (!(error instanceof Error)) return `permgraph: internal error: ${oneLine(String(error))}\n`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return 'permgraph: socket in use\n';
  const outside = OUTSIDE_ERRORS.has(error.name) || (typeof code === 'string' && /^E[A-Z]+$/.test(code));
  return `permgraph: ${outside ? '' : 'internal error: '}${oneLine(error.message)}\n`;
}
