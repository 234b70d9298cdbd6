// Colour scales of the community layer and the facility palette. The map reads a colour per community
// from feature-state, so a recolour is one array pass here plus one setFeatureState per changed
// community; the legend is drawn from the same classes. Each scale comes in three palettes: the default
// (ColorBrewer red–green, which readers with red–green colour blindness cannot tell apart) and viridis
// and cividis (d3-scale-chromatic), whose lightness rises steadily, so they stay ordered for colour-blind
// readers and in greyscale print. What colour alone would say (a gap, a failed or unknown verdict) is
// also drawn as a pattern (see {@link CommunityPattern}).
import { interpolateCividis, interpolateViridis } from 'd3-scale-chromatic';

export interface ColourClass {
  /** Legend text (already localised by the caller when needed). */
  readonly label: string;
  readonly colour: string;
  /** A mark drawn in the legend's swatch (a verdict's ✓ ✗ ?), so the class reads without colour. */
  readonly symbol?: string;
  /** The pattern the map draws over the class's communities. */
  readonly pattern?: CommunityPattern;
}

/** The colour palettes a planner can choose; `default` is the red–green one. */
export type PaletteName = 'default' | 'viridis' | 'cividis';
export const PALETTE_NAMES: readonly PaletteName[] = ['default', 'viridis', 'cividis'];

/**
 * What a community's pattern says where colour alone would: `gap` (hatched: a gap, below the gap
 * threshold, a failed verdict), `unknown` (dotted: a verdict that lacks data) or nothing.
 */
export type CommunityPattern = 'none' | 'gap' | 'unknown';

/** Colour of a community with no residents (no share can be computed). */
export const NO_DATA = '#c9c9c9';

/** `n` colours evenly spaced from `from` to `to` on a d3 colour ramp. */
function sample(ramp: (t: number) => string, n: number, from: number, to: number): string[] {
  return Array.from({ length: n }, (_, i) => ramp(from + ((to - from) * i) / Math.max(1, n - 1)));
}

// Green (no gap) to dark red (many gaps): ColorBrewer RdYlGn, reversed, 8 classes. The colour-blind
// palettes run from light (no gap) to dark (many gaps).
const GAP_RAMPS: Readonly<Record<PaletteName, readonly string[]>> = {
  default: ['#1a9850', '#91cf60', '#d9ef8b', '#fee08b', '#fdae61', '#f46d43', '#d73027', '#a50026'],
  viridis: sample(interpolateViridis, 8, 1, 0),
  cividis: sample(interpolateCividis, 8, 1, 0),
};

/** Classes of the gap count for `maxGaps` possible gaps: one per value up to 7, else ranges. */
export function gapClasses(
  maxGaps: number,
  palette: PaletteName = 'default',
): { upper: number[]; classes: ColourClass[] } {
  const ramp = GAP_RAMPS[palette];
  if (maxGaps <= 7) {
    const upper = Array.from({ length: maxGaps + 1 }, (_, i) => i);
    const step = (ramp.length - 1) / Math.max(1, maxGaps);
    return {
      upper,
      classes: upper.map((v) => ({
        label: String(v),
        colour: ramp[Math.round(v * step)]!,
        pattern: v > 0 ? 'gap' : 'none',
      })),
    };
  }
  // 0, 1, 2, then ranges that split the rest into five.
  const upper = [0, 1, 2];
  const rest = maxGaps - 2;
  for (let i = 1; i <= 5; i++) {
    const u = 2 + Math.ceil((rest * i) / 5);
    if (u > upper[upper.length - 1]!) upper.push(u);
  }
  const classes = upper.map((u, i): ColourClass => {
    const lower = i === 0 ? 0 : upper[i - 1]! + 1;
    return {
      label: lower === u ? String(u) : `${lower}–${u}`,
      colour: ramp[Math.min(i, ramp.length - 1)]!,
      pattern: u > 0 ? 'gap' : 'none',
    };
  });
  return { upper, classes };
}

/** The class index of a gap count. */
export function gapClass(count: number, upper: readonly number[]): number {
  for (let i = 0; i < upper.length; i++) if (count <= upper[i]!) return i;
  return upper.length - 1;
}

/** Upper bounds of the covered-share classes; the gap threshold is inserted as a class edge. */
export function shareBreaks(threshold: number): number[] {
  const breaks = new Set([0.1, 0.25, 0.5, 0.75, 0.9, 1]);
  if (threshold > 0 && threshold < 1) breaks.add(threshold);
  return [...breaks].sort((a, b) => a - b);
}

// Reds below the gap threshold, blues at or above it, so "has a gap" reads at a glance. The
// colour-blind palettes keep one ramp, dark (little covered) to light, with a step in lightness at the
// threshold; the hatching says "gap" there.
const SHARE_RAMPS: Readonly<Record<PaletteName, { below: readonly string[]; above: readonly string[] }>> = {
  default: {
    below: ['#a50026', '#d73027', '#f46d43', '#fdae61', '#fee090'],
    above: ['#92c5de', '#6aa9d2', '#4393c3', '#2166ac', '#053061'],
  },
  viridis: { below: sample(interpolateViridis, 5, 0, 0.4), above: sample(interpolateViridis, 5, 0.6, 1) },
  cividis: { below: sample(interpolateCividis, 5, 0, 0.4), above: sample(interpolateCividis, 5, 0.6, 1) },
};

/** Colour classes of the covered share, split at the gap threshold. */
export function shareClasses(
  threshold: number,
  format: (share: number) => string,
  palette: PaletteName = 'default',
): { breaks: number[]; classes: ColourClass[] } {
  const { below: belowRamp, above: aboveRamp } = SHARE_RAMPS[palette];
  const breaks = shareBreaks(threshold);
  const below = breaks.filter((b) => b <= threshold);
  const above = breaks.filter((b) => b > threshold);
  const classes: ColourClass[] = [];
  below.forEach((b, i) => {
    const lower = i === 0 ? 0 : below[i - 1]!;
    const colour = belowRamp[Math.round((i * (belowRamp.length - 1)) / Math.max(1, below.length - 1))]!;
    classes.push({ label: `${format(lower)}–${format(b)}`, colour, pattern: 'gap' });
  });
  above.forEach((b, i) => {
    const lower = i === 0 ? threshold : above[i - 1]!;
    const colour = aboveRamp[Math.round((i * (aboveRamp.length - 1)) / Math.max(1, above.length - 1))]!;
    classes.push({
      label: i === above.length - 1 ? `≥ ${format(lower)}` : `${format(lower)}–${format(b)}`,
      colour,
    });
  });
  return { breaks, classes };
}

/** The class of a share: the first class whose upper bound it is below (the last includes 1). */
export function shareClass(value: number, breaks: readonly number[]): number {
  for (let i = 0; i < breaks.length - 1; i++) if (value < breaks[i]!) return i;
  return breaks.length - 1;
}

// 20 distinguishable colours (Tableau 20, reordered so the five headline types get the strongest).
const FACILITY_PALETTE = [
  '#e15759',
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#8cd17d',
  '#86bcb6',
  '#d37295',
  '#fabfd2',
  '#b6992d',
  '#499894',
  '#79706e',
  '#d4a6c8',
  '#f1ce63',
  '#a0cbe8',
];

// Standard profiles: pass (a complete community) green, fail red, unknown (nothing fails, but a figure
// the rule needs is missing) a muted purple that reads as "not judged" next to the red and green.
export const VERDICT_COLOURS = {
  pass: '#1a9850',
  fail: '#d73027',
  unknown: '#b4a7d6',
} as const;

// For colour-blind readers: Okabe and Ito's blue (pass) and orange (fail), which every kind of colour
// blindness tells apart, and a light grey-violet for unknown; fail is hatched, unknown dotted besides.
const SAFE_VERDICT_COLOURS = { pass: '#0072b2', fail: '#e69f00', unknown: '#d9c6e0' } as const;

/** Verdict colours of a palette: pass, fail and unknown. */
export function verdictColours(palette: PaletteName = 'default'): {
  readonly pass: string;
  readonly fail: string;
  readonly unknown: string;
} {
  return palette === 'default' ? VERDICT_COLOURS : SAFE_VERDICT_COLOURS;
}

/** Marks shown beside a verdict's colour (legend, card, tooltips), so colour never speaks alone. */
export const VERDICT_SYMBOLS = { pass: '✓', fail: '✗', unknown: '?' } as const;

/** The three verdict classes of a standard profile, in the order pass, fail, unknown. */
export function verdictClasses(
  labels: { pass: string; fail: string; unknown: string },
  palette: PaletteName = 'default',
): ColourClass[] {
  const colours = verdictColours(palette);
  return [
    { label: labels.pass, colour: colours.pass, symbol: VERDICT_SYMBOLS.pass, pattern: 'none' },
    { label: labels.fail, colour: colours.fail, symbol: VERDICT_SYMBOLS.fail, pattern: 'gap' },
    { label: labels.unknown, colour: colours.unknown, symbol: VERDICT_SYMBOLS.unknown, pattern: 'unknown' },
  ];
}

/**
 * Every colour a community can take, in a fixed order. The map's fill colour is one constant `match`
 * on the palette index kept in feature-state, so a recolour never changes the style and MapLibre never
 * parses a colour string per feature.
 */
export const PALETTE: readonly string[] = [
  ...new Set([
    NO_DATA,
    ...PALETTE_NAMES.flatMap((p) => [
      ...GAP_RAMPS[p],
      ...SHARE_RAMPS[p].below,
      ...SHARE_RAMPS[p].above,
      ...Object.values(verdictColours(p)),
    ]),
  ]),
];

const PALETTE_INDEX = new Map(PALETTE.map((c, i) => [c, i]));

/** Index of a scale colour in {@link PALETTE} (0, the no-data grey, for an unknown colour). */
export function paletteIndex(colour: string): number {
  return PALETTE_INDEX.get(colour) ?? 0;
}

/** Colour of the facility type with index `i` in the analysis. */
export function facilityColour(i: number): string {
  return FACILITY_PALETTE[i % FACILITY_PALETTE.length]!;
}
