/**
 * The block job commands by name: those that start a job (job-starts.ts, drive-jobs.ts) and the
 * verbs on an existing one (job-verbs.ts).
 */
import type { Command } from './command.js';
import { driveBackup, driveMirror } from './drive-jobs.js';
import { blockCommit, blockdevBackup, blockdevMirror, blockStream } from './job-starts.js';
import { JOB_VERB_COMMANDS } from './job-verbs.js';

export const JOB_COMMANDS: Readonly<Record<string, Command>> = {
  'block-commit': blockCommit,
  'block-stream': blockStream,
  'blockdev-mirror': blockdevMirror,
  'blockdev-backup': blockdevBackup,
  'drive-mirror': driveMirror,
  'drive-backup': driveBackup,
  ...JOB_VERB_COMMANDS,
};
