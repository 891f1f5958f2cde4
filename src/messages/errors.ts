import type { Strerror } from './strerror.js';

/** QMP error classes QEMU uses (qapi/error.json). */
export type QmpErrorClass = 'GenericError' | 'CommandNotFound' | 'DeviceNotActive' | 'DeviceNotFound';

/** A refusal with QEMU's class and text. Thrown inside a transaction, which then changes nothing. */
export class QmpError extends Error {
  constructor(
    readonly errorClass: QmpErrorClass,
    readonly desc: string,
    /** The errno the refusing function returned with it, where a caller reports that instead (a job's error). */
    readonly errno?: Strerror,
  ) {
    // a refusal is an answer, not a fault: no stack trace is wanted, and taking one is slow
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(desc);
    Error.stackTraceLimit = limit;
    this.name = 'QmpError';
  }
}

export function fail(desc: string, errorClass: QmpErrorClass = 'GenericError'): never {
  throw new QmpError(errorClass, desc);
}

/** A refusal whose errno a caller may report in its place (error_setg() with `return -errno`). */
export function failErrno(desc: string, errno: Strerror): never {
  throw new QmpError('GenericError', desc, errno);
}
