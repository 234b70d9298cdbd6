// Small SVG charts for the side panel: horizontal bars with target marks, and a line chart. Labels are
// SVG text nodes (never markup), so names from loaded files are safe to show.
import { s } from './dom.js';

export interface Bar {
  readonly label: string;
  /** 0…max; NaN draws no bar. */
  readonly value: number;
  readonly valueText: string;
  readonly colour: string;
  /** A mark drawn across the bar (a target or threshold), in the value's units. */
  readonly mark?: number;
  /** A lighter bar behind the value, up to this (an upper bound), in the value's units. */
  readonly upper?: number;
  /** This bar's own scale (indicators of different units side by side); default the chart's. */
  readonly max?: number;
  readonly title?: string;
}

/** Horizontal bars, one row each, with the value at the end and an optional mark per row. */
export function barChart(
  bars: readonly Bar[],
  options: {
    max: number;
    width?: number;
    labelWidth?: number;
    valueWidth?: number;
    testid?: string;
    markLabel?: string;
  },
): SVGSVGElement {
  const width = options.width ?? 340;
  const labelWidth = options.labelWidth ?? 118;
  const valueWidth = options.valueWidth ?? 52;
  const row = 17;
  const plot = width - labelWidth - valueWidth;
  const height = bars.length * row + 4;
  const x = (v: number, max: number) => labelWidth + (Math.max(0, Math.min(v, max)) / max) * plot;
  // What a screen reader says for the picture: every bar's name and value.
  const label = bars.map((b) => `${b.label || b.title || ''} ${b.valueText}`.trim()).join('; ');
  const svg = chartSvg(width, height, label, options.testid);
  bars.forEach((bar, i) => {
    const y = i * row + 2;
    // The exact figures ride along as data attributes, for the browser tests and for copying.
    const g = s('g', {
      class: 'bar',
      'data-label': bar.label,
      'data-value': String(bar.value),
      ...(bar.upper !== undefined ? { 'data-upper': String(bar.upper) } : {}),
    });
    if (bar.title) g.append(s('title', {}, bar.title));
    g.append(
      s(
        'text',
        { x: labelWidth - 6, y: y + 12, 'text-anchor': 'end', class: 'chart-label' },
        truncate(bar.label, labelWidth - 10),
      ),
      s('rect', { x: labelWidth, y: y + 2, width: plot, height: row - 5, class: 'chart-track' }),
    );
    const max = bar.max ?? options.max;
    if (bar.upper !== undefined && Number.isFinite(bar.upper)) {
      g.append(
        s('rect', {
          x: labelWidth,
          y: y + 2,
          width: Math.max(0, x(bar.upper, max) - labelWidth),
          height: row - 5,
          fill: bar.colour,
          'fill-opacity': 0.3,
        }),
      );
    }
    if (Number.isFinite(bar.value)) {
      g.append(
        s('rect', {
          x: labelWidth,
          y: y + 2,
          width: Math.max(0.5, x(bar.value, max) - labelWidth),
          height: row - 5,
          fill: bar.colour,
        }),
      );
    }
    if (bar.mark !== undefined && Number.isFinite(bar.mark)) {
      const mx = x(bar.mark, max);
      g.append(s('line', { x1: mx, x2: mx, y1: y, y2: y + row - 1, class: 'chart-mark' }));
    }
    g.append(s('text', { x: width - valueWidth + 4, y: y + 12, class: 'chart-value' }, bar.valueText));
    svg.append(g);
  });
  return svg;
}

export interface LinePoint {
  readonly x: number;
  readonly y: number;
}

/** A line with dots, x from 0 to the last point, y from 0 to 1 (shares), with axis labels. */
export function lineChart(
  points: readonly LinePoint[],
  options: { width?: number; height?: number; xLabel: string; yText: (y: number) => string; testid?: string },
): SVGSVGElement {
  const width = options.width ?? 340;
  const height = options.height ?? 150;
  const left = 44;
  const bottom = 24;
  const top = 8;
  const right = 10;
  const xMax = Math.max(1, ...points.map((p) => p.x));
  const yMin = Math.max(0, Math.floor((Math.min(...points.map((p) => p.y)) - 0.02) * 10) / 10);
  const yMax = Math.min(1, Math.ceil((Math.max(...points.map((p) => p.y)) + 0.02) * 10) / 10);
  const span = Math.max(0.1, yMax - yMin);
  const px = (v: number) => left + (v / xMax) * (width - left - right);
  const py = (v: number) => top + (1 - (v - yMin) / span) * (height - top - bottom);
  const label = `${options.xLabel}: ${points.map((p) => `${p.x} → ${options.yText(p.y)}`).join(', ')}`;
  const svg = chartSvg(width, height, label, options.testid);
  for (const tick of [yMin, (yMin + yMax) / 2, yMax]) {
    svg.append(
      s('line', { x1: left, x2: width - right, y1: py(tick), y2: py(tick), class: 'chart-grid' }),
      s(
        'text',
        { x: left - 4, y: py(tick) + 4, 'text-anchor': 'end', class: 'chart-label' },
        options.yText(tick),
      ),
    );
  }
  svg.append(
    s(
      'text',
      { x: (left + width - right) / 2, y: height - 4, 'text-anchor': 'middle', class: 'chart-label' },
      options.xLabel,
    ),
    s('text', { x: left, y: height - 10, 'text-anchor': 'middle', class: 'chart-label' }, '0'),
    s('text', { x: px(xMax), y: height - 10, 'text-anchor': 'middle', class: 'chart-label' }, String(xMax)),
  );
  if (points.length > 0) {
    const d = points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`)
      .join(' ');
    svg.append(s('path', { d, class: 'chart-line' }));
    for (const p of points) svg.append(s('circle', { cx: px(p.x), cy: py(p.y), r: 2.5, class: 'chart-dot' }));
  }
  return svg;
}

let measureContext: CanvasRenderingContext2D | null | undefined;

/** Cuts text to fit `maxPx` at the chart label font, measured by the browser, with an ellipsis. */
function truncate(text: string, maxPx: number): string {
  if (measureContext === undefined) {
    measureContext = document.createElement('canvas').getContext('2d');
    if (measureContext) {
      const family = getComputedStyle(document.documentElement).fontFamily || 'sans-serif';
      measureContext.font = `11.5px ${family}`;
    }
  }
  const ctx = measureContext;
  const width = (t: string) => (ctx ? ctx.measureText(t).width : [...t].length * 7);
  if (width(text) <= maxPx) return text;
  const chars = [...text];
  while (chars.length > 1 && width(`${chars.join('')}…`) > maxPx) chars.pop();
  return `${chars.join('')}…`;
}

/** An empty chart: an image to assistive technology, named by `label` (its figures as text). */
function chartSvg(width: number, height: number, label: string, testid: string | undefined): SVGSVGElement {
  return s('svg', {
    class: 'chart',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': label,
    'data-testid': testid,
  });
}
