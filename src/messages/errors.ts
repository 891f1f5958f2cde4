/** QMP error classes QEMU uses (qapi/error.json). */
export type QmpErrorClass = 'GenericError' | 'CommandNotFound' | 'DeviceNotActive' | 'DeviceNotFound';

/** A refusal with QEMU's class and text. Thrown inside a transaction, which then changes nothing. */
export class QmpError extends Error {
  constructor(
    readonly errorClass: QmpErrorClass,
    readonly desc: string,
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
