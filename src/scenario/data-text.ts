/**
 * A data file's text as data: YAML for a .yaml or .yml file, else JSON, and whatever it holds no
 * deeper than MAX_NESTING and no larger than MAX_EXPANDED_SIZE when written out.
 */
import { deepPath, nestingExceeded, ScenarioError } from './data-error.js';
import { MAX_EXPANDED_SIZE, MAX_EXPANDED_TEXT, MAX_NESTING } from './data-limits.js';
import { parseJsonText } from './json-data.js';
import { parseYamlText } from './yaml-data.js';

/**
 * No deeper than MAX_NESTING, and no larger than MAX_EXPANDED_SIZE when written out, so that
 * nothing that walks the data later can run out of stack or memory. Walked without recursion.
 */
function checkShape(data: unknown, file: string): void {
  /** A list or map on the way down; the path to it is kept as links to its parents. */
  interface Container {
    readonly value: object;
    readonly depth: number;
    readonly parent: Container | null;
    readonly key: string | number | null;
  }
  const pathOf = (container: Container): (string | number)[] => {
    const keys: (string | number)[] = [];
    for (let c: Container | null = container; c && c.key !== null; c = c.parent) keys.push(c.key);
    return keys.reverse();
  };
  let size = 0;
  const count = (value: unknown): void => {
    size += typeof value === 'string' ? value.length + 2 : 1;
    if (size > MAX_EXPANDED_SIZE) throw new ScenarioError(`${file}: its aliases expand to more than ${MAX_EXPANDED_TEXT}`);
  };
  count(data);
  if (!data || typeof data !== 'object') return;
  const stack: Container[] = [{ value: data, depth: 1, parent: null, key: null }];
  while (stack.length > 0) {
    const container = stack.pop()!;
    if (container.depth > MAX_NESTING) throw new ScenarioError(`${file}: ${deepPath(pathOf(container))}: ${nestingExceeded}`);
    const visit = (key: string | number, value: unknown): void => {
      count(value);
      if (value && typeof value === 'object') stack.push({ value, depth: container.depth + 1, parent: container, key });
    };
    if (Array.isArray(container.value)) {
      const list: readonly unknown[] = container.value;
      for (let i = list.length - 1; i >= 0; i--) visit(i, list[i]);
    } else {
      const map = container.value as Readonly<Record<string, unknown>>;
      const keys = Object.keys(map);
      for (let i = keys.length - 1; i >= 0; i--) {
        size += keys[i]!.length + 3;
        visit(keys[i]!, map[keys[i]!]);
      }
    }
  }
}

/** The text as data, YAML for a .yaml or .yml file, else JSON; its nesting and size bounded. */
export function parseDataText(text: string, file: string): unknown {
  const data = /\.ya?ml$/i.test(file) ? parseYamlText(text, file) : parseJsonText(text, file);
  checkShape(data, file);
  return data;
}
