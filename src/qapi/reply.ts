/**
 * A QMP command and its reply, as the simulator and the wire share them (qapi/qmp-dispatch.c:
 * qmp_dispatch() answers `return` or `error`; the wire adds the client's `id`).
 */
export interface QmpCommand {
  readonly execute: string;
  readonly arguments?: Readonly<Record<string, unknown>>;
}

export interface QmpErrorBody {
  readonly class: string;
  readonly desc: string;
}

export type QmpReply =
  | { readonly return: unknown; readonly id?: unknown }
  | { readonly error: QmpErrorBody; readonly id?: unknown };
