/** docs/qmp.md names every command the simulator answers. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/registry.js';

it('docs/qmp.md lists every command', () => {
  const doc = readFileSync(new URL('../docs/qmp.md', import.meta.url), 'utf8');
  const missing = Object.keys(COMMANDS).filter((name) => !doc.includes(`\`${name}\``));
  expect(missing).toEqual([]);
});
