// The models take a cost table, so every distance source plugs in: the same question through
// great-circle, a walking network and a cost matrix.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceHaversine } from '../../test/reference.js';
import { GreatCircleSource } from '../distance/great-circle.js';
import { type CostMatrixRow, CostMatrixSource, NetworkSource } from '../distance/index.js';
import type { DistanceSource, Origins } from '../distance/types.js';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { RoadGraph } from '../network/index.js';
import {
  CapacitatedCoverage,
  MaximalCovering,
  PCenter,
  PMedian,
  SetCovering,
  siteFacilities,
} from './index.js';

const LON = 106.66;
const LAT = 35.54;
const lonAt = (dx: number) => LON + dx / metresPerDegreeLon(LAT);
const latAt = (dy: number) => LAT + dy / METRES_PER_DEGREE;

/**
 * 12 demand points in 3 communities, 6 targets (2 existing), on a 1.2 km square; a cost matrix with
 * one row per community (the cost from its first demand point), and the same costs as a table.
 */
function smallCity() {
  const demand = {
    coords: Float64Array.from(
      Array.from({ length: 12 }, (_, i) => [lonAt((i % 4) * 400), latAt(Math.floor(i / 4) * 400)]).flat(),
    ),
    owner: Uint32Array.from({ length: 12 }, (_, i) => Math.floor(i / 4)),
    ownerCount: 3,
    weight: Float64Array.from({ length: 12 }, (_, i) => 10 + i),
  };
  const targets = {
    coords: Float64Array.from(
      [0, 0, 1200, 0, 600, 400, 200, 800, 1000, 800, 600, 0].flatMap((v, n) => (n % 2 ? latAt(v) : lonAt(v))),
    ),
    ids: ['e1', 'e2', 'c1', 'c2', 'c3', 'c4'],
  };
  const rows: CostMatrixRow[] = [];
  for (let o = 0; o < 3; o++) {
    // One row per community: the cost from its first demand point (all its points share it).
    for (let t = 0; t < 6; t++) {
      const i = 4 * o;
      rows.push({
        origin_id: `community-${o}`,
        destination_id: targets.ids[t]!,
        cost: referenceHaversine(
          demand.coords[2 * i]!,
          demand.coords[2 * i + 1]!,
          targets.coords[2 * t]!,
          targets.coords[2 * t + 1]!,
        ),
      });
    }
  }
  const matrix = new CostMatrixSource(demand, rows, {
    ownerIds: ['community-0', 'community-1', 'community-2'],
  });
  // The same costs as a table: every point of a community at its community's costs.
  const offsets = Uint32Array.from({ length: 13 }, (_, i) => 6 * i);
  const costs = Float64Array.from(
    { length: 72 },
    (_, q) => rows[6 * Math.floor(Math.floor(q / 6) / 4) + (q % 6)]!.cost,
  );
  const table = { bound: 3000, offsets, targets: Uint32Array.from({ length: 72 }, (_, q) => q % 6), costs };
  return { demand, targets, matrix, table };
}

describe('distance sources', () => {
  it('a cost matrix gives the same answer as the table it holds', () => {
    const { demand, targets, matrix, table } = smallCity();
    const options = { k: 2, radius: 700, fixed: [0, 1], tableBound: 3000 };
    const fromMatrix = PMedian.fromSource(matrix, demand, targets, options).solve();
    const fromTable = PMedian.fromCostMatrix(table, demand.weight, {
      ...options,
      owner: demand.owner,
    }).solve();
    expect(fromMatrix.objective).toBeCloseTo(fromTable.objective, 6);
    expect(fromMatrix.sites.map((s) => s.candidate)).toEqual(fromTable.sites.map((s) => s.candidate));
    // And MCLP through the matrix and through great-circle agree when the matrix holds those costs.
    const viaMatrix = MaximalCovering.fromSource(matrix, demand, targets, options).solve();
    expect(viaMatrix.objective).toBeGreaterThanOrEqual(viaMatrix.coveredBefore);
    const viaCircle = MaximalCovering.fromSource(
      new GreatCircleSource(demand),
      demand,
      targets,
      options,
    ).solve();
    expect(viaCircle.population).toBe(viaMatrix.population);
  });

  it('every model answers the same through the matrix as through its table, side constraints too', () => {
    const { demand, targets, matrix, table } = smallCity();
    // Districts 0 (e1, c1, c4) and 1 (e2, c2, c3) need two sites each; c1 and c4 are 400 m apart.
    const options = {
      k: 2,
      radius: 700,
      fixed: [0, 1],
      coords: targets.coords,
      minSpacingM: 450,
      cost: [0, 0, 2, 1, 1, 1],
      budget: 3,
      district: [0, 1, 0, 1, 1, 0],
      minPerDistrict: 2,
      capacity: [50, 50, 80, 80, 80, 80],
    };
    const tableOptions = { ...options, owner: demand.owner, ownerCount: 3, targetCount: 6 };
    const models = [MaximalCovering, PMedian, PCenter, CapacitatedCoverage, SetCovering] as const;
    for (const model of models) {
      const viaMatrix = model.fromSource(matrix, demand, targets, { ...options, tableBound: 3000 }).solve();
      const viaTable = model.fromCostMatrix(table, demand.weight, tableOptions).solve();
      expect(viaMatrix.status, viaMatrix.model).toBe(viaTable.status);
      expect(['feasible', 'optimal']).toContain(viaMatrix.status);
      expect(viaMatrix.objective).toBeCloseTo(viaTable.objective, 6);
      expect(viaMatrix.sites.map((s) => s.candidate)).toEqual(viaTable.sites.map((s) => s.candidate));
      const sites = viaMatrix.sites.map((s) => s.candidate);
      expect(sites.filter((j) => options.district[j] === 0)).toHaveLength(1);
      expect(sites.filter((j) => options.district[j] === 1)).toHaveLength(1);
      expect(sites.includes(2) && sites.includes(5)).toBe(false);
    }
  });

  it('a walking network plugs into siteFacilities, and walking never covers more than straight lines', async () => {
    const read = (name: string) =>
      JSON.parse(readFileSync(new URL(`../../../../fixtures/pingliang/${name}`, import.meta.url), 'utf8'));
    const communities = read('communities.geojson');
    const facilities = read('facilities.geojson');
    const { graph } = RoadGraph.fromGeoJSON(read('roads.geojson'));
    const options = {
      type: 'kindergarten',
      model: 'mclp' as const,
      k: 5,
      generate: { spacingM: 300 },
      solve: { exact: false as const },
    };
    const walking = await siteFacilities(
      { communities, facilities },
      {
        ...options,
        distance: (origins, context) =>
          new NetworkSource(graph, origins, { ownerNames: context.communityIds }),
      },
    );
    const straight = await siteFacilities({ communities, facilities }, options);
    expect(walking.summary.parameters.distance).toBe('network');
    expect(walking.summary.coveredPopulationAfter).toBeGreaterThan(walking.summary.coveredPopulationBefore);
    expect(walking.summary.coveredPopulationBefore).toBeLessThanOrEqual(
      straight.summary.coveredPopulationBefore,
    );
    expect(walking.chosen).toHaveLength(5);
    // Capacitated coverage (greedy, swap, Lagrangian bound) on the same walking distances.
    const capacitated = await siteFacilities(
      { communities, facilities },
      {
        ...options,
        model: 'capacitated',
        rate: 30 / 1000,
        capacityPerSite: 120,
        minSpacingM: 400,
        distance: (origins, context) =>
          new NetworkSource(graph, origins, { ownerNames: context.communityIds }),
      },
    );
    expect(capacitated.summary.parameters.distance).toBe('network');
    expect(['feasible', 'optimal']).toContain(capacitated.summary.status);
    expect(capacitated.summary.coveredPopulationAfter).toBeGreaterThanOrEqual(
      capacitated.summary.coveredPopulationBefore,
    );
  }, 60_000);

  it('a source in minutes gets targets of the type sited, and the candidate grid stays in metres', async () => {
    const read = (name: string) =>
      JSON.parse(readFileSync(new URL(`../../../../fixtures/pingliang/${name}`, import.meta.url), 'utf8'));
    const communities = read('communities.geojson');
    const facilities = read('facilities.geojson');
    // Straight lines walked at 75 m a minute, recording the type of every target set it is asked about.
    const asked: (string | undefined)[] = [];
    const minutes = (origins: Origins): DistanceSource => {
      const metres = new GreatCircleSource(origins);
      return {
        kind: 'great-circle',
        costUnit: 'min',
        origins,
        metresPerCost: () => 75,
        reach(targets, bound) {
          asked.push(targets.type);
          const r = metres.reach(targets, bound * 75);
          return { ...r, bound, nearestCost: r.nearestCost.map((m) => m / 75) };
        },
        within(targets, bound) {
          asked.push(targets.type);
          const t = metres.within(targets, bound * 75);
          return { ...t, bound, costs: t.costs.map((m) => m / 75) };
        },
      };
    };
    const options = { type: 'kindergarten', model: 'mclp' as const, k: 3, solve: { exact: false as const } };
    const inMinutes = await siteFacilities(
      { communities, facilities },
      { ...options, radiusM: 4, distance: minutes },
    );
    const inMetres = await siteFacilities({ communities, facilities }, { ...options, radiusM: 300 });
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['kindergarten']));
    // 4 minutes at 75 m a minute is 300 m: the same grid, the same answer.
    expect(inMinutes.summary.parameters.candidates).toBe(inMetres.summary.parameters.candidates);
    expect(inMinutes.summary.coveredPopulationAfter).toBeCloseTo(inMetres.summary.coveredPopulationAfter, 6);
  }, 60_000);
});
