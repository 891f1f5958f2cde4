/** QMP error classes QEMU uses (qapi/error.json). */
export type QmpErrorClass = 'GenericError' | 'CommandNotFound' | 'DeviceNotActive' | 'DeviceNotFound';

/** A refusal with QEMU's class and text. Thrown inside a transaction, which then changes nothing. */
export interface QmpError extends Error {
  readonly name: 'QmpError';
  readonly errorClass: QmpErrorClass;
  readonly desc: string;
}

interface QmpErrorFields {
  errorClass: QmpErrorClass;
  desc: string;
  message: string;
}

/**
 * A refusal is an answer, not a fault: it is an Error (instanceof Error, with its message), but
 * made without the Error constructor, which takes a stack trace even when none is wanted and costs
 * more than the rest of a refused command (the explorer meets refusals on most of its steps).
 */
function QmpErrorConstructor(this: QmpErrorFields, errorClass: QmpErrorClass, desc: string): void {
  this.errorClass = errorClass;
  this.desc = desc;
  this.message = desc;
}
Object.setPrototypeOf(QmpErrorConstructor.prototype, Error.prototype);
Object.defineProperty(QmpErrorConstructor.prototype, 'name', { value: 'QmpError', writable: true, configurable: true });
Object.defineProperty(QmpErrorConstructor, 'name', { value: 'QmpError' });

export const QmpError = QmpErrorConstructor as unknown as new (errorClass: QmpErrorClass, desc: string) => QmpError;

export function fail(desc: string, errorClass: QmpErrorClass = 'GenericError'): never {
  throw new QmpError(errorClass, desc);
}
