// Colour scales of the community layer and the facility palette. The map reads a colour per community
// from feature-state, so a recolour is one array pass here plus one setFeatureState per changed
// community; the legend is drawn from the same classes.

export interface ColourClass {
  /** Legend text (already localised by the caller when needed). */
  readonly label: string;
  readonly colour: string;
}

/** Colour of a community with no residents (no share can be computed). */
export const NO_DATA = '#c9c9c9';

// Green (no gap) to dark red (many gaps): ColorBrewer RdYlGn, reversed, 8 classes.
const GAP_RAMP = ['#1a9850', '#91cf60', '#d9ef8b', '#fee08b', '#fdae61', '#f46d43', '#d73027', '#a50026'];

/** Classes of the gap count for `maxGaps` possible gaps: one per value up to 7, else ranges. */
export function gapClasses(maxGaps: number): { upper: number[]; classes: ColourClass[] } {
  if (maxGaps <= 7) {
    const upper = Array.from({ length: maxGaps + 1 }, (_, i) => i);
    const step = (GAP_RAMP.length - 1) / Math.max(1, maxGaps);
    return {
      upper,
      classes: upper.map((v) => ({ label: String(v), colour: GAP_RAMP[Math.round(v * step)]! })),
    };
  }
  // 0, 1, 2, then ranges that split the rest into five.
  const upper = [0, 1, 2];
  const rest = maxGaps - 2;
  for (let i = 1; i <= 5; i++) {
    const u = 2 + Math.ceil((rest * i) / 5);
    if (u > upper[upper.length - 1]!) upper.push(u);
  }
  const classes = upper.map((u, i) => {
    const lower = i === 0 ? 0 : upper[i - 1]! + 1;
    return {
      label: lower === u ? String(u) : `${lower}–${u}`,
      colour: GAP_RAMP[Math.min(i, GAP_RAMP.length - 1)]!,
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

// Reds below the gap threshold, blues at or above it, so "has a gap" reads at a glance.
const SHARE_BELOW = ['#a50026', '#d73027', '#f46d43', '#fdae61', '#fee090'];
const SHARE_ABOVE = ['#92c5de', '#6aa9d2', '#4393c3', '#2166ac', '#053061'];

/** Colour classes of the covered share, split at the gap threshold. */
export function shareClasses(
  threshold: number,
  format: (share: number) => string,
): { breaks: number[]; classes: ColourClass[] } {
  const breaks = shareBreaks(threshold);
  const below = breaks.filter((b) => b <= threshold);
  const above = breaks.filter((b) => b > threshold);
  const classes: ColourClass[] = [];
  below.forEach((b, i) => {
    const lower = i === 0 ? 0 : below[i - 1]!;
    const colour = SHARE_BELOW[Math.round((i * (SHARE_BELOW.length - 1)) / Math.max(1, below.length - 1))]!;
    classes.push({ label: `${format(lower)}–${format(b)}`, colour });
  });
  above.forEach((b, i) => {
    const lower = i === 0 ? threshold : above[i - 1]!;
    const colour = SHARE_ABOVE[Math.round((i * (SHARE_ABOVE.length - 1)) / Math.max(1, above.length - 1))]!;
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

/** The three verdict classes of a standard profile, in the order pass, fail, unknown. */
export function verdictClasses(labels: { pass: string; fail: string; unknown: string }): ColourClass[] {
  return [
    { label: labels.pass, colour: VERDICT_COLOURS.pass },
    { label: labels.fail, colour: VERDICT_COLOURS.fail },
    { label: labels.unknown, colour: VERDICT_COLOURS.unknown },
  ];
}

/**
 * Every colour a community can take, in a fixed order. The map's fill colour is one constant `match`
 * on the palette index kept in feature-state, so a recolour never changes the style and MapLibre never
 * parses a colour string per feature.
 */
export const PALETTE: readonly string[] = [
  ...new Set([NO_DATA, ...GAP_RAMP, ...SHARE_BELOW, ...SHARE_ABOVE, ...Object.values(VERDICT_COLOURS)]),
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
