/**
 * Where the drivers that need a server would connect, as far as permgraph can tell the answer:
 * no server of any kind is reachable, so 127.0.0.1 refuses the connection and a name in the
 * reserved `.invalid` domain (RFC 6761) cannot be resolved. Any other host's answer depends on
 * the network: permgraph refuses it in its own words.
 */
import { fail } from '../messages/errors.js';
import { msg } from '../messages/messages.js';
import type { ModelRules } from '../models/rules.js';
import type { BlockdevOptions, FileFacts } from './driver.js';

/** What a network driver's open may look at; it never opens a node (every connection fails). */
export interface NetworkOpenHost {
  readonly rules: ModelRules;
  readonly readOnly: boolean;
  readonly autoReadOnly: boolean;
  /** The QOM type of the user object `id`, when there is one. */
  objectType(id: string): string | undefined;
  inspect(path: string): FileFacts;
}

/** How a connection to a host ends here: refused (nothing listens) or unresolved. */
export type HostAnswer = 'refused' | 'unresolved';

/** The answer a connection to `host` gets, or null when permgraph cannot tell it. */
export function hostAnswer(host: string, localNames: readonly string[] = ['127.0.0.1']): HostAnswer | null {
  if (localNames.includes(host)) return 'refused';
  if (/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.invalid$/i.test(host)) return 'unresolved';
  return null;
}

/** hostAnswer(), or permgraph's own refusal of a host it cannot tell. */
export function mustAnswer(driver: string, host: string, localNames?: readonly string[]): HostAnswer {
  const answer = hostAnswer(host, localNames);
  if (answer === null) fail(msg.networkNotSimulated(driver, `host '${host}'`));
  return answer;
}

/** qcrypto_secret_lookup_as_utf8(): the object must be there, and a secret. */
export function lookUpSecret(host: NetworkOpenHost, id: string): void {
  const type = host.objectType(id);
  if (type === undefined) fail(msg.noSecret(id));
  if (type !== 'secret') fail(msg.notASecret(id));
}

/** Members given beyond `known`: ones whose effect permgraph does not simulate. */
export function refuseOthers(driver: string, value: BlockdevOptions, known: readonly string[], what: string): void {
  const other = Object.keys(value).find((key) => !known.includes(key) && value[key] !== undefined);
  if (other !== undefined) fail(msg.networkNotSimulated(driver, `${what} '${other}'`));
}

/** A decimal port 1..65535, as the drivers here read it; null when it is not one. */
export function portNumber(port: string): number | null {
  if (!/^[0-9]{1,5}$/.test(port)) return null;
  const n = Number(port);
  return n >= 1 && n <= 65535 ? n : null;
}
