/** Graphviz for the page, loaded on first use (the wasm is large). */
import type { Viz } from '@viz-js/viz';

let viz: Promise<Viz> | undefined;

export async function renderDot(dot: string): Promise<SVGSVGElement> {
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  return (await viz).renderSVGElement(dot);
}

/** The `<title>` Graphviz gives a node's group: its DOT id. */
export const titleOf = (g: Element): string => g.querySelector(':scope > title')?.textContent ?? '';
