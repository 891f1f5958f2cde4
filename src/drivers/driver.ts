/**
 * A block driver as permgraph knows it, all in one record (QEMU's BlockDriver,
 * include/block/block_int-common.h): its QAPI options, the perms it asks of its children, how it
 * opens, what a reopen may change, and how its filename is made. The core calls a driver's open
 * through DriverOpenHost, which it implements; a driver never reaches into the core.
 */
import type { VvfatEntry } from '../graph/state-types.js';
import type { BlockNode, FdMode, DriverName, NodeName, OpenFile } from '../graph/types.js';
import type { NodeHeader, Qcow2Facts } from '../graph/node-header.js';
import type { NbdAddress, NbdExportInfo } from './nbd-server.js';
import type { PermPair } from '../perms/cumulative.js';
import type { Member, QapiType } from '../qapi/schema.js';
import type { ChildPermInput } from './default-perms.js';
import type { ModelRules } from '../models/rules.js';

/** A node's options as blockdev-add (or an image header) gave them. */
export type BlockdevOptions = Readonly<Record<string, unknown>>;

/** BDRV_MAX_LENGTH: the largest offset a request may reach (include/block/block_int-common.h). */
export const BDRV_MAX_LENGTH = 2n ** 63n - 2n ** 30n;

/** The alternates a driver's members name children with: BlockdevRef and BlockdevRefOrNull. */
export interface BlockdevRefs {
  readonly ref: QapiType;
  readonly refOrNull: QapiType;
}

/** An image header as the storage reads it (the storage layer's ImageHeader fits it). */
export interface HeaderFacts {
  readonly format: string;
  /** The size the guest sees. */
  readonly virtualSize: number;
  readonly backingFile?: string;
  readonly backingFormat?: string;
  readonly qcow2?: Qcow2Facts;
  /** A LUKS image's password. */
  readonly password?: string;
}

/** What a file is, or the strerror text of why it cannot be looked at. */
export type FileFacts =
  | { readonly regular: boolean; readonly size: number; readonly identity: string }
  | { readonly error: string };

/** bs->backing_file and bs->backing_format: the backing file an image names. */
export interface BackingName {
  readonly backingFile?: string;
  readonly backingFormat?: string;
  /** The rest of a qcow2 header, kept for queries. */
  readonly qcow2?: Qcow2Facts;
}

/**
 * What a driver's open may do to the node being opened (already in the graph, without children).
 * The core implements it; each call takes effect at once, as in QEMU.
 */
/** A directory's entry as readdir() gives it: its name, its size in bytes, and whether it is a directory itself. */
export interface DirectoryEntry {
  readonly name: string;
  readonly size: number;
  readonly directory: boolean;
}

export interface DriverOpenHost {
  readonly name: NodeName;
  /** The model's rules, for what a driver does differently in each QEMU release. */
  readonly rules: ModelRules;
  /** The node's size in bytes. */
  size: number;
  /** The filename QMP shows for the node. */
  filename: string;
  /** The descriptor mode the node's chart opens a file with. */
  fdMode(): FdMode;
  /** Why open(path, mode) would fail (strerror text), or null when it would succeed. */
  openError(path: string, mode: FdMode): string | null;
  inspect(path: string): FileFacts;
  /** Why opendir(path) fails (strerror text), or null when the directory can be read. */
  directoryError(path: string): string | null;
  /** What readdir() gives of a directory, in its order (empty where the storage cannot tell). */
  listDirectory(path: string): readonly DirectoryEntry[];
  /** A vvfat node keeps where its disk shows its directory's entries. */
  mapDirectory(entries: readonly VvfatEntry[]): void;
  /** The node holds this descriptor (recorded among the users of its file). */
  holdFile(file: OpenFile): void;
  /**
   * bdrv_open_file_child(): the `file` child, opened before the node, linked with `role`; the
   * refresh runs at once, and the node takes the child's filename and size.
   */
  attachFile(role: number): void;
  /**
   * bdrv_open_child(): the child `ref` names (a node, or options to open inline) opened now and
   * linked as `edgeName` with `role`, the refresh at once; returns the child's size. A PRIMARY
   * child is the node's file (bs->file): the node takes its filename and size.
   */
  openChild(ref: unknown, edgeName: string, role: number): number;
  /** The driver of the file child (its format name, as bdrv_get_format_name() gives it). */
  fileDriver(): string;
  /** The image header under the file child, through raw and filters; undefined when none shows. */
  headerBelowFile(): HeaderFacts | undefined;
  /** Why a read through the file child fails (strerror text), or null: an NBD client whose server went away. */
  readErrorBelowFile(): string | null;
  /** The backing file the image names, which the core opens once the driver is done. */
  nameBacking(name: BackingName): void;
  /** The QOM type of the user object `id`, when there is one (object-add). */
  objectType(id: string): string | undefined;
  /** A property the user object `id` was given (object-add), e.g. a secret's `data`. */
  objectProperty(id: string, property: string): unknown;
  /**
   * An NBD client's connection and negotiation (nbd_co_establish_connection()): what the server
   * said of the export, kept as the node's connection; a refusal fails the open with its text.
   */
  connectNbd(address: NbdAddress, exportName: string): NbdExportInfo;
  /** Whether the node is opened read-only. */
  readonly readOnly: boolean;
  /** A metadata write through the file child ending at byte `end` (the written nodes' `wr_highest_offset`). */
  wroteFile(end: number): void;
  /**
   * bdrv_apply_auto_read_only(): the node is, or becomes, read-only; false when it was opened
   * read-write without auto-read-only (the caller refuses then).
   */
  degradeToReadOnly(): boolean;
}

export interface BlockDriver {
  readonly name: DriverName;
  /** Its variant of BlockdevOptions, in QEMU's order; none when blockdev-add cannot create it. */
  readonly members?: (refs: BlockdevRefs) => readonly Member[];
  /** A protocol driver with its own descriptor (file-posix): the fd follows its writers. */
  readonly holdsFd: boolean;
  /** .bdrv_child_perm; protocol drivers have no children and no callback. */
  readonly childPerm?: (input: ChildPermInput) => PermPair;
  /** is_filter: its one child is what it filters, and continues the chain. */
  readonly isFilter: boolean;
  /** supports_backing: it takes a `backing` child, opened after it. */
  readonly supportsBacking: boolean;
  /** Its mutable_opts, or null when it has no .bdrv_reopen_prepare (no node of it reopens). */
  readonly reopen: readonly string[] | null;
  /**
   * Options its .bdrv_reopen_prepare takes out of a reopen's options itself: a change of them is
   * not refused, though, not being mutable_opts, none of them may be left out.
   */
  readonly reopenAbsorbs?: readonly string[];
  /** Its open, after the generic part of bdrv_open_inherit(); none when permgraph does not simulate it. */
  readonly open?: (host: DriverOpenHost, options: BlockdevOptions) => void;
  /** The image header of its file child shows through it (filters always do). */
  readonly passesHeader?: (options: BlockdevOptions) => boolean;
  /** A protocol node's exact_filename: the name of what it opened; none when its options cannot be told by one. */
  readonly exactFilename?: (options: BlockdevOptions) => string | undefined;
  /** strong_runtime_opts: options a file name cannot tell; given, they make the filename json:{…}. */
  readonly strongOptions?: readonly string[];
  /**
   * A .bdrv_refresh_filename that makes an exact filename of its children's (`exactOf(edgeName)`,
   * undefined when a child has none): the filename, or undefined for json:{…}.
   */
  readonly filenameOf?: (options: BlockdevOptions, exactOf: (edgeName: string) => string | undefined) => string | undefined;
  /** It has a .bdrv_refresh_filename of its own; a filter without one shows json:{…}. */
  readonly refreshesFilename?: boolean;
  /**
   * Its .bdrv_co_truncate for a request of `size` bytes (the node's `length` now, what it read
   * from its image header, and the length of the file below): the walk ends here ('done'), or goes on to its `file` child with the
   * size that child is to take. Without one, bdrv_co_truncate() passes the request to the
   * filtered child, or refuses.
   */
  readonly truncate?: (options: BlockdevOptions, size: bigint, length: bigint, header: NodeHeader | undefined, fileLength: number) => TruncateStep;
  /**
   * Its .bdrv_reopen_prepare's own check of a reopen to `readWrite` (after the generic ones): the
   * refusal's text, or null. `options` are the node's new options.
   */
  readonly reopenPrepare?: (node: BlockNode, readWrite: boolean, options: BlockdevOptions) => string | null;
  /** The user objects (object-add ids) a node of this driver holds, by its options. */
  readonly objectsHeld?: (options: BlockdevOptions) => readonly string[];
}

/**
 * Where a truncate walk goes from a driver: it ends here ('done'), goes on to the `file` child
 * with a size of its own, or ends here with the node's length what the driver says it is.
 */
export type TruncateStep =
  | 'done'
  | ({ readonly fileSize: bigint } & TruncateWrites)
  | { readonly length: bigint }
  /** The walk ends here, having written metadata. */
  | TruncateWrites;

/** What a truncate wrote of the image: its header as the node keeps it, and where its metadata writes to the file child end. */
export interface TruncateWrites {
  readonly header?: NodeHeader;
  /** The end of the furthest metadata write to the file child (its `wr_highest_offset`). */
  readonly wroteFile?: number;
  /** The discard requests it sent to the file child, and their bytes. */
  readonly discards?: Discards;
}

export interface Discards {
  readonly requests: number;
  readonly bytes: number;
}
