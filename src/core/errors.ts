/** QMP error classes QEMU uses (qapi/error.json). */
export type QmpErrorClass = 'GenericError' | 'CommandNotFound' | 'DeviceNotActive' | 'DeviceNotFound';

/** A refusal with QEMU's class and text. Thrown inside a transaction, which then changes nothing. */
export class QmpError extends Error {
  constructor(
    readonly errorClass: QmpErrorClass,
    readonly desc: string,
  ) {
    super(desc);
    this.name = 'QmpError';
  }
}

export function fail(desc: string, errorClass: QmpErrorClass = 'GenericError'): never {
  throw new QmpError(errorClass, desc);
}
