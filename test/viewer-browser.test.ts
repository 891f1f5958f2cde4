/**
 * The viewer in Debian's Chromium, driven by playwright-core (no browser download): the bundled
 * commit example stepped through in every model and checked against what `permgraph run` prints,
 * two models side by side with what differs lit, the first view readable at two window sizes (and
 * its pan and zoom), markup in the data shown as text, and a graph of some hundred nodes drawn
 * around the selection. The screenshots are kept in $PERMGRAPH_SCREENSHOTS (default:
 * <tmpdir>/permgraph-viewer-screenshots).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../machines/node.types.js';
import { runCli } from '../src/cli/program.js';
import type { Change } from '../src/scenario/diff.js';
import { viewData } from '../src/view/view-data.js';
import { startViewServer, type ViewServer } from '../src/view/view-server.js';
import { missing } from './support/environment.js';

const CHROMIUM = '/usr/bin/chromium';
const why = missing([CHROMIUM], 'apt-get install -y chromium');
const COMMIT = 'examples/commit-auto-read-only.yaml';
/** PERMGRAPH_UPDATE_DOCS=1 also writes the screenshot in docs/ (step 8 at 1600×1000). */
const UPDATE_DOCS = process.env['PERMGRAPH_UPDATE_DOCS'] === '1';
const SCREENSHOTS = process.env['PERMGRAPH_SCREENSHOTS'] ?? join(tmpdir(), 'permgraph-viewer-screenshots');
const WINDOWS = [
  { width: 1600, height: 1000 },
  { width: 1024, height: 700 },
] as const;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An SVG element in the page (the test's own types have no DOM). */
interface Scaled {
  getScreenCTM(): { readonly a: number } | null;
}

/** The page's window, for the computed style of an element (the test's own types have no DOM). */
interface StyledWindow {
  getComputedStyle(element: unknown): { readonly stroke: string };
}

/** `inner` lies wholly in `outer` (to a pixel). */
const within = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.width <= outer.x + outer.width + 1 && inner.y + inner.height <= outer.y + outer.height + 1;

interface RunJson {
  readonly steps: readonly {
    readonly changes: readonly Change[];
    readonly events: readonly { readonly event: string; readonly data: { readonly id?: string; readonly status?: string } }[];
  }[];
}

async function cliRun(file: string, model: string): Promise<RunJson> {
  let out = '';
  const code = await runCli(['run', file, '--model', model, '--format', 'json'], { stdout: (t) => (out += t), stderr: () => {} });
  expect(code).toBe(0);
  return JSON.parse(out) as RunJson;
}

/** A chain of 300 raw nodes over a null-co node, in one blockdev-add, and one more on top. */
function largeScenario(dir: string): string {
  let file: Record<string, unknown> = { driver: 'null-co', 'node-name': 'n0' };
  for (let i = 1; i < 300; i++) file = { driver: 'raw', 'node-name': `r${i}`, file };
  const path = join(dir, 'large.json');
  const steps = [
    { execute: 'blockdev-add', arguments: file },
    { execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': 'top', file: 'r299' } },
  ];
  writeFileSync(path, JSON.stringify({ name: 'large', steps }));
  return path;
}

describe.skipIf(why)(`the viewer in Chromium${why ? ` (skipped: ${why})` : ''}`, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'permgraph-viewer-'));
  const servers: ViewServer[] = [];
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  const open = async (file: string): Promise<void> => {
    const server = await startViewServer({ webRoot: join(scratch, 'web'), data: viewData(file) });
    servers.push(server);
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
  };

  const atStep = (model: string, step: number) =>
    page.waitForSelector(`body[data-ready="true"][data-model="${model}"][data-step="${step}"]`);

  /** Two models side by side, `left` the first, at `step`. */
  const sideBySide = (left: string, right: string, step: number) =>
    page.waitForSelector(`body.side-by-side[data-ready="true"][data-model="${left}"][data-compare="${right}"][data-step="${step}"]`);

  const field = (name: string) => page.locator(`#node-fields [data-field="${name}"]`).textContent();

  const box = async (selector: string): Promise<Box> => {
    const found = await page.locator(selector).first().boundingBox();
    if (!found) throw new Error(`${selector} is not shown`);
    return found;
  };

  /** The height on screen of the `<text>` lines under `selector`: the smallest font size, in pixels. */
  const textPx = (selector: string): Promise<number> =>
    page.$$eval(`${selector} text`, (texts) =>
      Math.min(...texts.map((t) => Number(t.getAttribute('font-size')) * ((t as unknown as Scaled).getScreenCTM()?.a ?? 0))),
    );

  const scaleOf = async (selector: string): Promise<number> => Number(await page.getAttribute(`${selector} > svg`, 'data-scale'));

  /** The `<text>` lines Graphviz drew for a vertex of the block graph. */
  const vertexText = (id: string) => page.locator('#graph g.node', { has: page.locator(`title:text-is("${id}")`) }).textContent();

  beforeAll(async () => {
    await build({
      configFile: resolve('vite.config.ts'),
      logLevel: 'silent',
      build: { outDir: join(scratch, 'web'), emptyOutDir: true },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('steps through the commit example as permgraph run says, in every model', async () => {
    await open(COMMIT);
    expect(await page.locator('#models button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-model')))).toEqual([...MODELS]);
    for (const [m, model] of MODELS.entries()) {
      const run = await cliRun(COMMIT, model);
      expect(await page.locator('#timeline button').count()).toBe(run.steps.length);
      const jobStates = new Map<string, string>();
      if (m > 0) {
        await page.click(`#models button[data-model="${model}"]`);
        await page.click('#timeline button[data-step="0"]');
      }
      await atStep(model, 0);
      for (const [index, step] of run.steps.entries()) {
        if (index > 0) await page.keyboard.press('ArrowRight');
        await atStep(model, index);
        for (const e of step.events.filter((e) => e.event === 'JOB_STATUS_CHANGE')) jobStates.set(e.data.id!, e.data.status!);
        for (const [job, status] of jobStates) {
          expect(await page.locator(`#jobs [data-job="${job}"]`).getAttribute('data-active')).toBe(status);
          expect(await page.locator(`#jobs [data-job="${job}"] g.node.active title`).textContent()).toBe(status);
        }
        for (const change of step.changes) {
          if (change.kind === 'node-added') expect(await vertexText(`node:${change.node}`)).toContain(`${change.node} [${change.driver}]`);
          if (change.kind !== 'ro' && change.kind !== 'open-mode') continue;
          await page.selectOption('#node-select', change.node);
          await atStep(model, index);
          if (change.kind === 'ro') {
            expect(await field('ro')).toBe(String(change.to));
            expect(await field('state')).toBe(change.state);
            expect(await page.getAttribute('#node-chart', 'data-active')).toBe(change.state);
            expect(await page.locator('#node-chart g.node.active title').textContent()).toBe(change.state);
          } else expect(await field('open mode')).toBe(change.to);
          expect(await page.locator('#graph g.node.changed', { has: page.locator(`title:text-is("node:${change.node}")`) }).count()).toBe(1);
        }
      }
    }
  });

  it('shows base read-write with the commit running and read-only once it is gone (dynamic)', async () => {
    await page.click('#models button[data-model="dynamic"]');
    await page.click('#timeline button[data-step="8"]');
    await atStep('dynamic', 8);
    await page.selectOption('#node-select', 'base');
    await atStep('dynamic', 8);
    expect(await vertexText('node:base')).toContain('rw · active');
    expect([await field('ro'), await field('state')]).toEqual(['false', 'active']);
    expect(await page.locator('#jobs [data-job="c1"] g.node.active title').textContent()).toBe('running');
    expect(await page.locator('#graph g.edge.changed').count()).toBeGreaterThan(0);
    const shot = join(scratch, 'viewer.png');
    await page.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    await page.locator('#graph g.node', { has: page.locator('title:text-is("node:mid-file")') }).click();
    await expect.poll(() => page.textContent('#node-name')).toBe('mid-file');
    await atStep('dynamic', 8);
    expect([await field('ro'), await field('open mode')]).toEqual(['true', 'O_RDONLY']);
    await page.selectOption('#node-select', 'base');

    await page.click('#next');
    await atStep('dynamic', 9);
    expect(await vertexText('node:base')).toContain('ro · idle');
    expect([await field('ro'), await field('state')]).toEqual(['true', 'idle']);
    expect(await page.locator('#jobs [data-job="c1"]').getAttribute('data-active')).toBe('null');
    expect(await page.locator('#changes').textContent()).toContain('ro   base: false -> true');

    await page.click('#models button[data-model="qemu-7.2"]');
    await atStep('qemu-7.2', 9);
    expect(await vertexText('node:base')).toContain('rw · readWrite');
    expect([await field('ro'), await field('state')]).toEqual(['false', 'readWrite']);
  });

  it('plays the steps on its own, to the last', async () => {
    const last = (await page.locator('#timeline button').count()) - 1;
    await page.click(`#timeline button[data-step="${last - 1}"]`);
    await atStep('qemu-7.2', last - 1);
    await page.click('#play');
    await page.waitForSelector(`body[data-ready="true"][data-step="${last}"]`, { timeout: 10_000 });
    await expect.poll(() => page.textContent('#play')).toBe('▶ play');
  });

  it('draws two models side by side at the same step, what differs between them lit and listed', async () => {
    await open(COMMIT);
    await page.click('#models button[data-model="qemu-7.2"]');
    await atStep('qemu-7.2', 0);
    expect(await page.locator('#other-pane').isHidden()).toBe(true);
    expect(await page.locator('#compare option').evaluateAll((options) => options.map((o) => o.getAttribute('value')))).toEqual(['', 'dynamic', 'qemu-10.0']);
    await page.selectOption('#compare', 'qemu-10.0');
    await sideBySide('qemu-7.2', 'qemu-10.0', 0);
    expect(await page.locator('#charts').isHidden()).toBe(true);
    expect(await page.locator('#timeline button[data-differs="true"]').evaluateAll((b) => b.map((x) => x.getAttribute('data-step')))).toEqual(['12', '13']);

    await page.click('#timeline button[data-step="12"]');
    await sideBySide('qemu-7.2', 'qemu-10.0', 12);
    expect([await page.getAttribute('#graph', 'data-rendered'), await page.getAttribute('#graph-other', 'data-rendered')]).toEqual(['qemu-7.2:12', 'qemu-10.0:12']);
    const [left, right] = [await box('#graph'), await box('#graph-other')];
    expect(left.x + left.width).toBeLessThanOrEqual(right.x + 1);
    expect(Math.abs(left.y - right.y)).toBeLessThan(2);
    expect(Math.min(left.width, right.width)).toBeGreaterThan(250);
    expect(await page.textContent('#graph-title')).toMatch(/^model qemu-7\.2: 6 nodes/);
    expect(await page.textContent('#graph-other-title')).toMatch(/^model qemu-10\.0: 6 nodes/);

    const rightText = (id: string) => page.locator('#graph-other g.node', { has: page.locator(`title:text-is("${id}")`) }).textContent();
    expect(await vertexText('node:base')).toContain('rw · readWrite');
    expect(await rightText('node:base')).toContain('ro · readOnly');
    const lit = (pane: string) => page.locator(`${pane} g.differs > title`).allTextContents();
    expect(await lit('#graph')).toEqual(expect.arrayContaining(['node:base', 'node:base-file']));
    expect((await lit('#graph')).length).toBe(3);
    expect(await page.locator('#graph g.edge.differs').count()).toBe(1);
    expect(await page.locator('#graph-other g.edge.differs').count()).toBe(1);
    expect((await lit('#graph-other')).sort()).toEqual((await lit('#graph')).sort());
    const stroke = await page.locator('#graph g.node.differs ellipse').first().evaluate((e) => (globalThis as unknown as StyledWindow).getComputedStyle(e).stroke);
    expect(stroke).toBe('rgb(239, 108, 0)');
    expect(await page.textContent('#differences-models')).toBe('qemu-7.2 | qemu-10.0');
    expect(await page.locator('#differences li').allTextContents()).toContain('base: ro false | true');
    expect(await page.textContent('#graph-note')).toBe('5 differences between qemu-7.2 and qemu-10.0 at this step (lit orange)');
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'side-by-side-step12.png') });

    await page.keyboard.press('ArrowLeft');
    await sideBySide('qemu-7.2', 'qemu-10.0', 11);
    expect(await page.getAttribute('#graph-other', 'data-rendered')).toBe('qemu-10.0:11');
    expect(await page.locator('.graph g.differs').count()).toBe(0);
    expect(await page.locator('#differences li').allTextContents()).toEqual(['none: the two models agree at this step']);

    await page.click('#models button[data-model="qemu-10.0"]');
    await sideBySide('qemu-10.0', 'qemu-7.2', 11);
    await page.keyboard.press('ArrowRight');
    await sideBySide('qemu-10.0', 'qemu-7.2', 12);
    expect(await page.locator('#differences li').allTextContents()).toContain('base: ro true | false');
    expect(await vertexText('node:base')).toContain('ro · readOnly');

    await page.selectOption('#compare', 'dynamic');
    await sideBySide('qemu-10.0', 'dynamic', 12);
    expect(await page.getAttribute('#graph-other', 'data-rendered')).toBe('dynamic:12');

    await page.selectOption('#compare', '');
    await page.waitForSelector('body:not(.side-by-side)[data-ready="true"][data-model="qemu-10.0"][data-compare=""][data-step="12"]');
    expect([await page.locator('#other-pane').isHidden(), await page.locator('#differences-section').isHidden()]).toEqual([true, true]);
    expect(await page.locator('#charts').isVisible()).toBe(true);
    expect(await field('ro')).not.toBeNull();
    expect(pageErrors).toEqual([]);
  });

  it('opens readable at two window sizes: a lone node is not the whole panel, chart text ≥ 10 px', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const size of WINDOWS) {
      await page.setViewportSize(size);
      await open(COMMIT);
      await atStep('dynamic', 0);
      const node = await box('#graph g.node');
      expect(within(node, await box('#graph'))).toBe(true);
      expect(node.width).toBeGreaterThan(120);
      expect(node.width).toBeLessThan(420);
      expect(node.height).toBeLessThan(160);
      expect(await textPx('#graph g.node')).toBeGreaterThanOrEqual(10);
      expect(within(await box('#node-chart g.node.active'), await box('#node-chart'))).toBe(true);
      expect(await textPx('#node-chart')).toBeGreaterThanOrEqual(10);
      await page.screenshot({ path: join(SCREENSHOTS, `${size.width}x${size.height}-step0.png`) });

      await page.click('#timeline button[data-step="8"]');
      await atStep('dynamic', 8);
      expect(await textPx('#graph g.node')).toBeGreaterThanOrEqual(9.5);
      expect(within(await box('#graph g.node.selected'), await box('#graph'))).toBe(true);
      expect(await textPx('#node-chart')).toBeGreaterThanOrEqual(10);
      if (UPDATE_DOCS && size === WINDOWS[0]) await page.screenshot({ path: 'docs/viewer.png' });
      await page.locator('#jobs [data-job="c1"]').scrollIntoViewIfNeeded();
      expect(within(await box('#jobs [data-job="c1"] g.node.active'), await box('#jobs [data-job="c1"]'))).toBe(true);
      expect(await textPx('#jobs [data-job="c1"]')).toBeGreaterThanOrEqual(10);
      await page.screenshot({ path: join(SCREENSHOTS, `${size.width}x${size.height}-step8.png`) });
    }
    await page.setViewportSize({ width: 1200, height: 800 });
  });

  it('zooms and pans the graph and the charts, fits them, and goes back to the first view', async () => {
    await page.click('#timeline button[data-step="8"]');
    await atStep('dynamic', 8);
    const fitted = await scaleOf('#graph');
    await page.click('#graph [data-zoom="zoom in"]');
    expect(await scaleOf('#graph')).toBeCloseTo(fitted * 1.25, 2);
    const before = await box('#graph g.node.selected');
    const graph = await box('#graph');
    await page.mouse.move(graph.x + graph.width / 2, graph.y + graph.height / 2);
    await page.mouse.down();
    await page.mouse.move(graph.x + graph.width / 2 + 60, graph.y + graph.height / 2 - 40, { steps: 5 });
    await page.mouse.up();
    const after = await box('#graph g.node.selected');
    expect([after.x - before.x, after.y - before.y].map(Math.round)).toEqual([60, -40]);
    expect(await page.textContent('#node-name')).toBe('base-file');
    await page.mouse.wheel(0, -200);
    await expect.poll(() => scaleOf('#graph')).toBeGreaterThan(fitted * 1.25);
    await page.click('#next');
    await atStep('dynamic', 9);
    expect(await scaleOf('#graph')).toBeGreaterThan(fitted * 1.25);
    await page.click('#graph [data-zoom="fit"]');
    const whole = await scaleOf('#graph');
    expect(whole).toBeLessThanOrEqual(1.5);
    expect(within(await box('#graph g.node.selected'), await box('#graph'))).toBe(true);
    await page.click('#graph [data-zoom="first view"]');
    expect(await scaleOf('#graph')).toBe(Math.min(1.5, Math.max(0.9, whole)));

    const chart = await scaleOf('#node-chart');
    const panel = await box('#node-chart');
    await page.mouse.move(panel.x + panel.width / 2, panel.y + panel.height / 2);
    await page.mouse.wheel(0, 200);
    expect(await scaleOf('#node-chart')).toBe(chart);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, 200);
    await page.keyboard.up('Control');
    await expect.poll(() => scaleOf('#node-chart')).toBeLessThan(chart);
    await page.click('#node-chart [data-zoom="fit"]');
    expect(await scaleOf('#node-chart')).toBeLessThan(chart);
    await page.click('#node-chart [data-zoom="first view"]');
    expect(await scaleOf('#node-chart')).toBe(chart);
    expect(chart).toBe(1.15);
  });

  it('shows markup in node data as text', async () => {
    await open('test/fixtures/scenarios/html-names.yaml');
    await page.click('#timeline button[data-step="4"]');
    await atStep('dynamic', 4);
    await page.selectOption('#node-select', 'f');
    await atStep('dynamic', 4);
    expect(await field('filename')).toBe('/scenario/html-names/<img src=x onerror=alert(1)>.qcow2');
    expect(await vertexText('node:f')).toContain('<img src=x onerror=alert(1)>.qcow2');
    expect(await vertexText('user:1')).toContain('nbd export e1 (<script>alert(2)</script>)');
    expect(await page.locator('#command').textContent()).toContain('<script>alert(2)</script>');
    expect(await page.locator('#timeline button[data-step="2"]').getAttribute('class')).toBe('refused');
    await page.click('#timeline button[data-step="2"]');
    await atStep('dynamic', 2);
    expect(await page.locator('#reply').textContent()).toContain("Invalid node-name: '<b>bold</b>'");
    expect(await page.locator('img, b, main script, aside script').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('draws some hundred nodes around the selection', async () => {
    await open(largeScenario(scratch));
    await page.click('#timeline button[data-step="1"]');
    await atStep('dynamic', 1);
    expect(await page.locator('#graph-note').textContent()).toBe('4 of 301 nodes: within 2 edges of n0, and what changed');
    expect(await page.locator('#graph g.node').count()).toBe(4);
    expect(await page.locator('#graph g.node.changed title').textContent()).toBe('node:top');
    await page.selectOption('#node-select', 'r150');
    await atStep('dynamic', 1);
    expect(await vertexText('node:r150')).toContain('r150 [raw]');
    expect(await page.locator('#graph g.node title:text-is("node:r148")').count()).toBe(1);
    expect(await page.locator('#graph g.node title:text-is("node:r147")').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
