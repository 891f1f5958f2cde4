/**
 * Where the models part ways, one entry each: the dynamic model, QEMU 7.2 and QEMU 10.0. The core
 * asks these rules, never a model's name, so adding a QEMU version is adding its entry here (and,
 * where a new rule is needed, one field and the one place that reads it).
 */
import type { Model } from '../../machines/node.types.js';

/** A QEMU release as query-version gives it. */
export interface QemuVersion {
  readonly major: number;
  readonly minor: number;
  readonly micro: number;
}

export interface ModelRules {
  /** The QEMU release the model follows; null for the dynamic model, which follows none. */
  readonly qemu: QemuVersion | null;
  /** The QMP surface it answers with: QEMU major * 100 + minor (commands and members `since` later are unknown). */
  readonly qapiRelease: number;
  /**
   * An active commit's base, read-only when the job started: reopened read-only again when the job
   * is aborted (10.0's mirror_exit_common()), whenever it ends without a pivot (the dynamic model),
   * or never (7.2).
   */
  readonly activeCommitBaseBackToReadOnly: 'never' | 'on-abort' | 'unless-pivot';
  /**
   * A file node a reopen reached keeps its descriptor but believes it is O_RDONLY afterwards
   * (raw_reopen_commit() takes open flags computed without O_RDWR; QEMU 7.2 and 10.0 alike).
   */
  readonly reopenForgetsOpenFlags: boolean;
  /** A block-stream that fails after its BlockBackend is made leaves it on the device node (7.2). */
  readonly failedStreamLeaksBackend: boolean;
  /**
   * block_resize of a node a job blocks: QERR_DEVICE_IN_USE with the NULL device name (7.2's
   * qmp_block_resize()), or bdrv_op_is_blocked()'s `Node '…' is busy: …` (10.0).
   */
  readonly resizeBlockedText: 'device-in-use' | 'node-busy';
  /**
   * copy-before-write's source child takes CONSISTENT_READ while the filter has parents (10.0's
   * cbw_child_perm()); 7.2 asks what bdrv_default_perms() gives.
   */
  readonly cbwSourceTakesRead: boolean;
  /**
   * block-copy's copy bitmap lies on the copy-before-write filter (10.0's block_copy_state_new()
   * takes the filter as `copy_bitmap_bs`), not on its source (7.2).
   */
  readonly copyBitmapOnFilter: boolean;
  /**
   * A mirror's dirty bitmap lies on its mirror_top filter, disabled, the filter marking what the
   * guest writes (10.0's mirror_start_job()); 7.2 makes it on the source, recording.
   */
  readonly mirrorBitmapOnFilter: boolean;
  /**
   * A throttled job woken from its rate-limit sleep (a resume, a faster speed, a drain of its
   * nodes) takes its next step at once (7.2's job_sleep_ns(); src/jobs/throttle-wake.ts); 10.0
   * sleeps the delay out (block_job_ratelimit_sleep()).
   */
  readonly throttledSleepCutShort: boolean;
  /**
   * A negative QemuOpts size option (raw `offset`/`size`, null-co `size`): 7.2's do_strtosz()
   * refuses the '-' (`Parameter 'x' expects a non-negative number below 2^64`), 10.0's calls it out
   * of range (`Value '-1' is out of range for parameter 'x'`).
   */
  readonly negativeSizeText: 'not-a-size' | 'out-of-range';
  /**
   * A throttled mirror whose first read fails: 7.2 ends it at once; 10.0's mirror_run() reports
   * the error (BLOCK_JOB_ERROR) but sees it only after its rate-limit sleep, so the job runs on.
   */
  readonly throttledMirrorFailsLate: boolean;
  /**
   * The simulated process is QEMU's system emulator, with guest devices (`device_add`,
   * `device_del`); otherwise it is qemu-storage-daemon, which has no such commands and answers
   * them CommandNotFound (the QEMU models, as the daemons do).
   */
  readonly systemEmulator: boolean;
  /** The ways this QEMU release is known to abort or crash on a sequence (src/commands/known-failures.ts). */
  readonly knownFailures: readonly KnownFailure[];
}

/** A known abort or crash of qemu-storage-daemon; docs/fidelity.md lists each with its versions. */
export type KnownFailure =
  | 'null-co-negative-size'
  | 'stream-concluded-kept'
  | 'inactivate-inactive-child'
  | 'mirror-onto-blkverify'
  | 'internal-snapshot-of-freed-overlay'
  | 'attach-iothread-child'
  | 'resize-through-replication'
  | 'resize-iothread-node';

const QEMU_7_2: ModelRules = {
  qemu: { major: 7, minor: 2, micro: 22 },
  qapiRelease: 702,
  activeCommitBaseBackToReadOnly: 'never',
  reopenForgetsOpenFlags: true,
  failedStreamLeaksBackend: true,
  resizeBlockedText: 'device-in-use',
  cbwSourceTakesRead: false,
  copyBitmapOnFilter: false,
  mirrorBitmapOnFilter: false,
  throttledSleepCutShort: true,
  negativeSizeText: 'not-a-size',
  throttledMirrorFailsLate: false,
  systemEmulator: false,
  knownFailures: [
    'null-co-negative-size',
    'stream-concluded-kept',
    'mirror-onto-blkverify',
    'internal-snapshot-of-freed-overlay',
    'attach-iothread-child',
    'resize-through-replication',
    'resize-iothread-node',
  ],
};

const QEMU_10_0: ModelRules = {
  ...QEMU_7_2,
  qemu: { major: 10, minor: 0, micro: 2 },
  qapiRelease: 1000,
  activeCommitBaseBackToReadOnly: 'on-abort',
  resizeBlockedText: 'node-busy',
  cbwSourceTakesRead: true,
  copyBitmapOnFilter: true,
  mirrorBitmapOnFilter: true,
  throttledSleepCutShort: false,
  negativeSizeText: 'out-of-range',
  throttledMirrorFailsLate: true,
  knownFailures: ['null-co-negative-size', 'stream-concluded-kept', 'mirror-onto-blkverify', 'inactivate-inactive-child', 'resize-through-replication'],
};

/** The dynamic model answers as QEMU 7.2 wherever read-only is not at stake, and leaks nothing. */
const DYNAMIC: ModelRules = {
  ...QEMU_7_2,
  qemu: null,
  activeCommitBaseBackToReadOnly: 'unless-pivot',
  reopenForgetsOpenFlags: false,
  failedStreamLeaksBackend: false,
  throttledSleepCutShort: false,
  systemEmulator: true,
  knownFailures: [],
};

const RULES: Readonly<Record<Model, ModelRules>> = { dynamic: DYNAMIC, 'qemu-7.2': QEMU_7_2, 'qemu-10.0': QEMU_10_0 };

export const rulesOf = (model: Model): ModelRules => RULES[model];

/** The QEMU model that follows this release (major.minor), if there is one. */
export function modelForQemu(version: QemuVersion): Model | null {
  const found = (Object.entries(RULES) as [Model, ModelRules][]).find(([, rules]) => rules.qemu && rules.qemu.major === version.major && rules.qemu.minor === version.minor);
  return found ? found[0] : null;
}
