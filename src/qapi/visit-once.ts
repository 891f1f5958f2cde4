/**
 * visit() remembered per arguments object and type: a caller that hands the same arguments over
 * again (the bounded explorer takes each of its commands from thousands of states) pays for the
 * check once. The check reads nothing but the value and the type, so its answer, the checked value
 * or QEMU's refusal, is the same every time. Arguments a caller hands over are not changed
 * afterwards (QMP's are parsed anew for each command, the explorer's are made once).
 */
import { QmpError } from '../messages/errors.js';
import type { QapiType } from './schema.js';
import { visit } from './visit.js';

type Outcome = { readonly value: unknown; readonly error?: undefined } | { readonly error: QmpError };

const outcomes = new WeakMap<object, Map<QapiType, Outcome>>();

/** visit(value, type), worked out once per (object, type); a refusal is thrown anew each time. */
export function visitOnce(value: unknown, type: QapiType): unknown {
  if (typeof value !== 'object' || value === null) return visit(value, type);
  let byType = outcomes.get(value);
  if (!byType) outcomes.set(value, (byType = new Map()));
  let outcome = byType.get(type);
  if (!outcome) {
    try {
      outcome = { value: visit(value, type) };
    } catch (error) {
      if (!(error instanceof QmpError)) throw error;
      outcome = { error };
    }
    byType.set(type, outcome);
  }
  if (outcome.error) throw new QmpError(outcome.error.errorClass, outcome.error.desc);
  return outcome.value;
}
