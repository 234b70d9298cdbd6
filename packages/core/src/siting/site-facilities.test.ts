// siteFacilities on the bundled city (fixtures/pingliang): golden outputs, consistency of the
// figures, and no input mutation. Heuristic answers only (exact: false), so goldens do not depend
// on HiGHS's branching.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../../test/golden.js';
import { siteFeatureCollection, siteSummaryJson } from '../report/siting.js';
import { OptionError } from '../validate/problems.js';
import { type SiteOptions, type SiteOutcome, siteFacilities } from './index.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../../fixtures/pingliang/${name}`, import.meta.url), 'utf8'));
const communities = fixture('communities.geojson');
const facilities = fixture('facilities.geojson');

const CASES: { name: string; options: SiteOptions }[] = [
  {
    name: 'mclp-childcare-k12',
    options: { type: 'nursery_childcare', model: 'mclp', k: 12, kMax: 12, generate: { spacingM: 200 } },
  },
  {
    name: 'lscp-elderly-every-community',
    options: {
      type: 'elderly_service_station',
      model: 'lscp',
      perCommunity: true,
      generate: { spacingM: 200 },
    },
  },
  {
    name: 'capacitated-childcare-k8',
    options: {
      type: 'nursery_childcare',
      model: 'capacitated',
      k: 8,
      rate: 4.5 / 1000,
      capacityPerSite: 40,
      generate: { spacingM: 200 },
    },
  },
];

/** Summary without the run time, and the communities reduced to the ones whose figures changed. */
function goldenSummary(outcome: SiteOutcome): string {
  // The golden is summary.json as the CLI writes it.
  const { time_ms: _time, communities: rows, ...rest } = siteSummaryJson(outcome.summary);
  const changed = rows
    .filter((r) => r.covered_after !== r.covered_before)
    .map(
      (r) =>
        `${r.id} ${r.share_before} → ${r.share_after}${r.gap_before && !r.gap_after ? ' (gap closed)' : ''}`,
    );
  return `${biomeJson({ ...rest, communities_changed: changed })}\n`;
}

/**
 * JSON laid out as the repository's formatter (biome) lays it out: two-space indent, objects
 * expanded, arrays of plain values on one line when they fit in 110 columns.
 */
function biomeJson(value: unknown, indent = '', lead = 0): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      const line = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      // The line also carries its key (`lead` characters) and a trailing comma.
      if (lead + line.length + 1 <= 110) return line;
    }
    const inner = `${indent}  `;
    return `[\n${value.map((v) => inner + biomeJson(v, inner, inner.length)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    const lines = entries.map(([k, v]) => {
      const key = `${inner}${JSON.stringify(k)}: `;
      return key + biomeJson(v, inner, key.length);
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

describe('siteFacilities on the bundled city', () => {
  for (const { name, options } of CASES) {
    it(`${name}: golden sites and summary`, async () => {
      // The swap and bound phases stop at a time budget or at their pass and iteration caps; with
      // generous budgets the caps (or convergence) decide, so the goldens do not depend on the
      // machine's load.
      const outcome = await siteFacilities(
        { communities, facilities },
        { ...options, solve: { exact: false, swapTimeMs: 60_000, boundTimeMs: 60_000 } },
      );
      const sites = `${JSON.stringify(siteFeatureCollection(outcome), null, 1)}\n`;
      expectGolden(sites, new URL(`./__goldens__/pingliang-${name}.sites.geojson`, import.meta.url));
      expectGolden(
        goldenSummary(outcome),
        new URL(`./__goldens__/pingliang-${name}.summary.json`, import.meta.url),
      );
    }, 30_000);
  }

  it('figures are consistent: ranks, cumulative coverage, before ≤ after, gaps only close', async () => {
    const outcome = await siteFacilities(
      { communities, facilities },
      { type: 'kindergarten', model: 'mclp', k: 6, generate: { spacingM: 250 }, solve: { exact: false } },
    );
    const { summary, chosen } = outcome;
    expect(chosen).toHaveLength(6);
    let running = summary.coveredPopulationBefore;
    chosen.forEach((site, n) => {
      expect(site.rank).toBe(n + 1);
      running += site.addedPopulation;
      expect(site.cumulativeCoveredPopulation).toBeCloseTo(running, 0);
    });
    expect(summary.coveredPopulationAfter).toBeCloseTo(running, 0);
    expect(summary.coveredPopulationAfter).toBeGreaterThanOrEqual(summary.coveredPopulationBefore);
    expect(summary.gapCommunitiesAfter).toBeLessThanOrEqual(summary.gapCommunitiesBefore);
    for (const row of summary.communities) {
      expect(row.coveredAfter).toBeGreaterThanOrEqual(row.coveredBefore);
      if (!row.gapBefore) expect(row.gapAfter).toBe(false);
    }
    expect(summary.bound).toBeGreaterThanOrEqual(summary.objective);
    // At full precision the objective and the covered residents are summed in different orders; in
    // summary.json (rounded) they are the same figure.
    expect(summary.objective).toBeCloseTo(summary.coveredPopulationAfter, 6);
    const written = siteSummaryJson(summary);
    expect(written.objective).toBe(written.covered_population_after);
  }, 30_000);

  it('site --k 1..N: the curve is the answer at N, never below the ranked prefix, bound above', async () => {
    // One answer per question (issue #13): before, the curve was the greedy alone and its last point
    // (37.3 %) disagreed with the ranked answer (37.5 %) on mclp childcare k 1..12.
    for (const kMax of [1, 3, 6, 12]) {
      const options: SiteOptions = {
        type: 'nursery_childcare',
        model: 'mclp',
        k: kMax,
        kMax,
        solve: { exact: false, swapTimeMs: 60_000, boundTimeMs: 60_000 },
      };
      const outcome = await siteFacilities({ communities, facilities }, options);
      // The curve as summary.json holds it, beside the answer's figures in the same file.
      const summary = siteSummaryJson(outcome.summary);
      const curve = summary.tradeoff!;
      const ranked = siteFeatureCollection(outcome).features.map((f) => f.properties);
      expect(curve.map((p) => p.k)).toEqual(ranked.map((_, n) => n + 1));
      const last = curve.at(-1)!;
      expect(last.solution).toBe('answer');
      expect(last.covered_population).toBe(summary.covered_population_after);
      expect(last.covered_share).toBe(summary.covered_share_after);
      expect(last.objective).toBe(summary.objective);
      curve.forEach((point, n) => {
        const prefix = ranked[n]!.cumulative_covered_population!;
        expect(point.covered_population).toBeGreaterThanOrEqual(prefix - 0.05);
        if (point.solution !== 'greedy') expect(point.covered_population).toBeCloseTo(prefix, 1);
        expect(point.bound!).toBeGreaterThanOrEqual(point.covered_population - 0.05);
      });
      // Coverage never falls as k grows.
      for (let n = 1; n < curve.length; n++) {
        expect(curve[n]!.covered_population).toBeGreaterThanOrEqual(curve[n - 1]!.covered_population);
      }
    }
  }, 60_000);

  it('does not mutate its inputs', async () => {
    const before = JSON.stringify(communities) + JSON.stringify(facilities);
    await siteFacilities(
      { communities, facilities },
      { type: 'kindergarten', model: 'pmedian', k: 2, generate: { spacingM: 400 }, solve: { exact: false } },
    );
    expect(JSON.stringify(communities) + JSON.stringify(facilities)).toBe(before);
  }, 30_000);

  it('stops with an OptionError (a mistake in the call, as in analyzeCoverage) that lists the choices for an unknown type', async () => {
    await expect(
      siteFacilities({ communities, facilities }, { type: 'spaceport', model: 'mclp', k: 1 }),
    ).rejects.toThrowError(OptionError);
    await expect(
      siteFacilities({ communities, facilities }, { type: 'spaceport', model: 'mclp', k: 1 }),
    ).rejects.toThrowError(/unknown facility type 'spaceport'. Use one of: nursery_childcare, kindergarten/);
  });
});
