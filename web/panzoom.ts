/**
 * Pan and zoom over a Graphviz drawing, by its SVG viewBox: the wheel (with ctrl or ⌘ held where
 * the panel itself scrolls), dragging, and the buttons −, +, fit (the whole drawing) and ↺ (the
 * first view). The first view fits the drawing, but never larger than `maxScale` (one node must
 * not fill the panel) nor smaller than `minScale` (the text stays readable); a drawing that does
 * not fit at `minScale` is shown around its `focus` (the selected node, the active state). What
 * the user chose (a moved view, or fit) is kept under the drawing's `key` across re-renders and
 * window sizes, until ↺.
 */
import { el, fill } from './dom.js';

export interface ZoomOptions {
  /** The user's view is kept under this key across re-renders. */
  readonly key: string;
  /** Bounds of the first view, in screen pixels per SVG unit (Graphviz points). */
  readonly minScale: number;
  readonly maxScale: number;
  /** What the first view is centred on when the drawing does not fit. */
  readonly focus?: Element | null | undefined;
  /** The wheel zooms only with ctrl or ⌘ held (plain wheel scrolls the panel). */
  readonly wheelNeedsModifier?: boolean;
}

interface View {
  readonly cx: number;
  readonly cy: number;
  /** Screen pixels per SVG unit. */
  readonly s: number;
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

interface Point {
  readonly x: number;
  readonly y: number;
}

const ZOOM_STEP = 1.25;
const MAX_ZOOM = 6;
/** Pixels a press must move before it is a drag (and no longer a click). */
const DRAG_THRESHOLD = 4;
/** Room left around a fitted drawing, in pixels. */
const MARGIN = 8;

/** The user's choice per key: a view, or the whole drawing whatever it is. */
type Choice = View | 'fit';
const kept = new Map<string, Choice>();
const observers = new WeakMap<Element, ResizeObserver>();

const clamp = (value: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, value));

/** The centre of `target` in the SVG's own units (whatever the viewBox is now). */
function centreIn(svg: SVGSVGElement, target: Element | null | undefined): Point | undefined {
  const ctm = svg.getScreenCTM();
  if (!target || !ctm) return undefined;
  const r = target.getBoundingClientRect();
  const p = new DOMPoint(r.x + r.width / 2, r.y + r.height / 2).matrixTransform(ctm.inverse());
  return Number.isFinite(p.x) && Number.isFinite(p.y) ? { x: p.x, y: p.y } : undefined;
}

/** Centre on `want` along one axis, but keep the drawing's edge at the panel's edge. */
function centreAxis(want: number, start: number, length: number, visible: number): number {
  if (visible >= length) return start + length / 2;
  return clamp(want, start + visible / 2, start + length - visible / 2);
}

/** A drawing in a panel, with its view. */
class Zoomable {
  private choice: Choice | undefined;
  private focus: Point | undefined;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly box: Box,
    private readonly options: ZoomOptions,
  ) {
    this.choice = kept.get(options.key);
  }

  private size(): { w: number; h: number } {
    const r = this.svg.getBoundingClientRect();
    return { w: r.width, h: r.height };
  }

  private fitScale(): number {
    const { w, h } = this.size();
    return Math.min((w - 2 * MARGIN) / this.box.w, (h - 2 * MARGIN) / this.box.h);
  }

  /** The first view: fitted within the scale bounds, around the focus when it does not fit. */
  private initial(): View {
    const { w, h } = this.size();
    const s = clamp(this.fitScale(), this.options.minScale, this.options.maxScale);
    const { x, y, w: bw, h: bh } = this.box;
    // the focus in the drawing's units (whatever the viewBox is), once the panel has a size
    this.focus ??= centreIn(this.svg, this.options.focus);
    const focus = this.focus ?? { x: x + bw / 2, y: y + bh / 2 };
    return { s, cx: centreAxis(focus.x, x, bw, (w - 2 * MARGIN) / s), cy: centreAxis(focus.y, y, bh, (h - 2 * MARGIN) / s) };
  }

  /** The whole drawing, no larger than `maxScale`. */
  private whole(): View {
    const { x, y, w, h } = this.box;
    return { s: Math.min(this.fitScale(), this.options.maxScale), cx: x + w / 2, cy: y + h / 2 };
  }

  private current(): View {
    if (this.choice === 'fit') return this.whole();
    return this.choice ?? this.initial();
  }

  apply(): void {
    const { w, h } = this.size();
    if (w <= 0 || h <= 0) return;
    const { cx, cy, s } = this.current();
    this.svg.setAttribute('viewBox', [cx - w / (2 * s), cy - h / (2 * s), w / s, h / s].map((n) => n.toFixed(2)).join(' '));
    this.svg.dataset['scale'] = s.toFixed(3);
  }

  /** Keeps what the user chose (undefined: the first view again). */
  choose(choice: Choice | undefined): void {
    this.choice = choice;
    if (choice === undefined) kept.delete(this.options.key);
    else kept.set(this.options.key, choice);
    this.apply();
  }

  /** Zooms by `factor` keeping the point under (px, py) — pixels from the panel's top left — where it is. */
  zoomAt(factor: number, px?: number, py?: number): void {
    const { w, h } = this.size();
    const view = this.current();
    const lowest = Math.min(this.fitScale(), this.options.minScale) / 2;
    const s = clamp(view.s * factor, lowest, MAX_ZOOM);
    const dx = (px ?? w / 2) - w / 2;
    const dy = (py ?? h / 2) - h / 2;
    this.choose({ s, cx: view.cx + dx / view.s - dx / s, cy: view.cy + dy / view.s - dy / s });
  }

  panBy(dx: number, dy: number): void {
    const view = this.current();
    this.choose({ ...view, cx: view.cx - dx / view.s, cy: view.cy - dy / view.s });
  }
}

function controls(zoom: Zoomable, hint: string): HTMLElement {
  const button = (label: string, title: string, action: () => void): HTMLButtonElement => {
    const b = el('button', { type: 'button', title, 'data-zoom': title }, label);
    b.addEventListener('click', action);
    return b;
  };
  return el(
    'div',
    { class: 'zoom-controls', title: hint },
    button('−', 'zoom out', () => zoom.zoomAt(1 / ZOOM_STEP)),
    button('+', 'zoom in', () => zoom.zoomAt(ZOOM_STEP)),
    button('fit', 'fit', () => zoom.choose('fit')),
    button('↺', 'first view', () => zoom.choose(undefined)),
  );
}

/** Dragging pans; a press that moved is no click (so dragging over a node does not select it). */
function listenForDrags(svg: SVGSVGElement, zoom: Zoomable): void {
  let press: { id: number; x: number; y: number; dragging: boolean } | null = null;
  let dragged = false;
  svg.addEventListener('pointerdown', (e) => {
    if (e.button === 0) press = { id: e.pointerId, x: e.clientX, y: e.clientY, dragging: false };
  });
  svg.addEventListener('pointermove', (e) => {
    if (!press || e.pointerId !== press.id) return;
    if (!press.dragging && Math.hypot(e.clientX - press.x, e.clientY - press.y) < DRAG_THRESHOLD) return;
    if (!press.dragging) svg.setPointerCapture(e.pointerId);
    press.dragging = true;
    svg.classList.add('dragging');
    zoom.panBy(e.clientX - press.x, e.clientY - press.y);
    press = { ...press, x: e.clientX, y: e.clientY };
  });
  const release = (): void => {
    dragged = press?.dragging ?? false;
    press = null;
    svg.classList.remove('dragging');
  };
  svg.addEventListener('pointerup', release);
  svg.addEventListener('pointercancel', release);
  svg.addEventListener(
    'click',
    (e) => {
      if (dragged) e.stopPropagation();
      dragged = false;
    },
    true,
  );
}

function listenForWheel(svg: SVGSVGElement, zoom: Zoomable, needsModifier: boolean): void {
  svg.addEventListener(
    'wheel',
    (e) => {
      if (needsModifier && !e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const pixels = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? e.deltaY * 16 : e.deltaY;
      const r = svg.getBoundingClientRect();
      zoom.zoomAt(Math.exp(-pixels * 0.002), e.clientX - r.left, e.clientY - r.top);
    },
    { passive: false },
  );
}

/**
 * Puts a Graphviz SVG into `panel` (which must be in the page, so that it has a size), with its
 * first view and the zoom controls; the view follows the panel's size.
 */
export function showZoomable(panel: HTMLElement, svg: SVGSVGElement, options: ZoomOptions): void {
  const vb = svg.viewBox.baseVal;
  const box: Box = vb && vb.width > 0 ? { x: vb.x, y: vb.y, w: vb.width, h: vb.height } : { x: 0, y: 0, w: 100, h: 100 };
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
  svg.classList.add('zoomable');
  fill(panel, svg);
  const zoom = new Zoomable(svg, box, options);
  const hint = `${options.wheelNeedsModifier ? 'ctrl + wheel' : 'wheel'} or − / +: zoom · drag: pan · fit: the whole drawing · ↺: the first view`;
  panel.append(controls(zoom, hint));
  listenForDrags(svg, zoom);
  listenForWheel(svg, zoom, options.wheelNeedsModifier ?? false);
  zoom.apply();
  observers.get(panel)?.disconnect();
  const observer = new ResizeObserver(() => zoom.apply());
  observer.observe(panel);
  observers.set(panel, observer);
}
