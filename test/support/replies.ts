/** The two QMP replies tests expect most: success with nothing to say, and a GenericError. */
import type { QmpReply } from '../../src/qapi/reply.js';

export const ok = { return: {} } as const;

export const err = (desc: string): QmpReply => ({ error: { class: 'GenericError', desc } });
