import { describe, expect, it } from 'vitest';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { RoadGraph } from '../network/graph.js';
import { InputError } from '../validate/problems.js';
import { type CostMatrixRow, CostMatrixSource, parseCostMatrixCsv } from './cost-matrix.js';
import { NetworkSource } from './network-source.js';

describe('parseCostMatrixCsv', () => {
  it('reads the three columns in any order, with quotes, CRLF, a BOM and extra columns', () => {
    const text =
      '\uFEFFcost,Origin_ID,destination_id,source\r\n' +
      '420,C1,K1,osrm\r\n' +
      '"1,250.5"\r\n' +
      '12.5,"C,2","K ""north""",valhalla\r\n' +
      '\r\n' +
      '0,C3,K1,\r\n';
    const { rows, rejected, unreachable } = parseCostMatrixCsv(text);
    expect(rows).toEqual([
      { origin_id: 'C1', destination_id: 'K1', cost: 420 },
      { origin_id: 'C,2', destination_id: 'K "north"', cost: 12.5 },
      { origin_id: 'C3', destination_id: 'K1', cost: 0 },
    ]);
    expect(unreachable).toBe(0);
    expect(rejected).toEqual([
      { file: 'cost-matrix', index: 3, id: null, field: 'row', reason: 'line 3: 1 fields, the header has 4' },
    ]);
  });

  it('rejects bad rows with their line numbers and skips unreachable pairs', () => {
    const text = [
      'origin_id,destination_id,cost',
      'C1,K1,300',
      ',K1,300',
      'C1,,300',
      'C1,K2,-5',
      'C1,K3,far',
      'C1,K1,310',
      'C2,K1,',
      'C2,K2,inf',
      'C2,K3,null',
      'C2,K4,Infinity',
      'C3,K1,1e3',
    ].join('\n');
    const { rows, rejected, unreachable } = parseCostMatrixCsv(text, 'od.csv');
    expect(rows).toEqual([
      { origin_id: 'C1', destination_id: 'K1', cost: 300 },
      { origin_id: 'C3', destination_id: 'K1', cost: 1000 },
    ]);
    expect(unreachable).toBe(4);
    expect(rejected.map((r) => [r.index, r.field, r.reason])).toEqual([
      [3, 'origin_id', 'line 3: empty origin_id'],
      [4, 'destination_id', 'line 4: empty destination_id'],
      [5, 'cost', 'line 5: cost must be a plain decimal number >= 0, got "-5"'],
      [6, 'cost', 'line 6: cost must be a plain decimal number >= 0, got "far"'],
      [7, 'destination_id', 'line 7: duplicate pair C1 → K1 (first on line 2)'],
    ]);
    expect(rejected[0]!.file).toBe('od.csv');
  });

  it('counts lines inside quoted fields that span lines', () => {
    const { rows, rejected } = parseCostMatrixCsv('origin_id,destination_id,cost\n"C\n1",K1,5\nC2,K1,x\n');
    expect(rows).toEqual([{ origin_id: 'C\n1', destination_id: 'K1', cost: 5 }]);
    expect(rejected[0]!.index).toBe(4);
  });

  it('stops with an InputError when the header lacks a column', () => {
    expect(() => parseCostMatrixCsv('from,to,cost\nA,B,1\n', 'od.csv')).toThrowError(InputError);
    expect(() => parseCostMatrixCsv('from,to,cost\nA,B,1\n', 'od.csv')).toThrowError(
      'od.csv: the cost matrix header must name the columns origin_id, destination_id, cost; got from, to, cost',
    );
    expect(() => parseCostMatrixCsv('\n\n')).toThrowError('cost-matrix: the cost matrix is empty');
  });
});

describe('CostMatrixSource', () => {
  // Four demand points in two communities: C1 (points 0, 1), C2 (points 2, 3); point 3 is p3.
  const origins = {
    coords: new Float64Array(8),
    owner: Uint32Array.of(0, 0, 1, 1),
    ownerCount: 2,
  };
  const rows: CostMatrixRow[] = [
    { origin_id: 'C1', destination_id: 'K1', cost: 300 },
    { origin_id: 'C1', destination_id: 'K2', cost: 500 },
    { origin_id: 'C2', destination_id: 'K2', cost: 200 },
    { origin_id: 'p3', destination_id: 'K1', cost: 100 },
    { origin_id: 'nobody', destination_id: 'K1', cost: 1 },
  ];
  const targets = { coords: new Float64Array(6), ids: ['K1', 'K2', 'K3'] };
  const source = new CostMatrixSource(origins, rows, {
    ownerIds: ['C1', 'C2'],
    originIds: ['p0', 'p1', 'p2', 'p3'],
  });

  it('matches rows by demand-point id first, then by community id; a missing pair is unreachable', () => {
    const reach = source.reach(targets, 400);
    expect([...reach.nearestCost]).toEqual([300, 300, 200, 100]);
    expect([...reach.nearestIndex]).toEqual([0, 0, 1, 0]);
    expect([...reach.withinCount]).toEqual([1, 1, 1, 1]);
    // C2's points reach K2 (p2) and K1 (p3): two distinct facilities.
    expect([...reach.ownerWithinCount]).toEqual([1, 2]);
    const table = source.within(targets, 600);
    expect([...table.offsets]).toEqual([0, 2, 4, 5, 6]);
    expect([...table.targets]).toEqual([0, 1, 0, 1, 1, 0]);
    expect([...table.costs]).toEqual([300, 500, 300, 500, 200, 100]);
    expect(source.kind).toBe('cost-matrix');
    expect(source.costUnit).toBe('m');
  });

  it('reports unmatched origins, unknown origin ids and facilities in no row', () => {
    const partial = new CostMatrixSource(origins, rows.slice(0, 2), { ownerIds: ['C1', 'C2'] });
    expect(partial.warnings.map((w) => w.message)).toEqual([
      "2 of 4 demand points have no row in the cost matrix (by their own id or their community's) and reach nothing",
    ]);
    expect(source.warnings.map((w) => w.message)).toEqual([
      '1 origin ids in the cost matrix match no community or demand point: nobody',
    ]);
    expect(source.checkTargets(targets, 'facilities', 'clinics').map((w) => w.message)).toEqual([
      '1 of 3 clinics appear in no row of the cost matrix and serve no one: K3',
    ]);
  });

  it('keeps the unit it is given, and throws on misuse with the value in the message', () => {
    expect(new CostMatrixSource(origins, rows, { ownerIds: ['C1', 'C2'], unit: 'min' }).costUnit).toBe('min');
    expect(() => source.reach({ coords: new Float64Array(4) }, 5)).toThrowError(
      'CostMatrixSource looks targets up by id: pass Targets.ids with one id per target (2 targets, 0 ids).',
    );
    expect(() => new CostMatrixSource(origins, rows)).toThrowError(
      'CostMatrixSource needs ownerIds (community ids) or originIds (demand-point ids) to match rows.',
    );
    expect(() => new CostMatrixSource(origins, rows, { ownerIds: ['C1'] })).toThrowError(
      'ownerIds has 1 ids but there are 2 owners.',
    );
    expect(
      () => new CostMatrixSource(origins, rows, { ownerIds: ['C1', 'C2'], unit: 'km' as 'm' }),
    ).toThrowError('Cost matrix unit must be one of: m, min; got km.');
  });

  it('gives the same answers as the network source whose within-table it was written from', () => {
    const at = (x: number, y: number) => [
      106.66 + x / metresPerDegreeLon(35.54),
      35.54 + y / METRES_PER_DEGREE,
    ];
    const roads = {
      type: 'FeatureCollection',
      features: [
        [at(0, 0), at(400, 0), at(800, 0)],
        [at(400, 0), at(400, 400)],
        [at(0, 0), at(0, 400), at(400, 400)],
      ].map((coordinates) => ({
        type: 'Feature',
        properties: {},
        geometry: { type: 'LineString', coordinates },
      })),
    };
    const { graph } = RoadGraph.fromGeoJSON(roads);
    const points = [at(10, 20), at(390, 30), at(700, -10), at(20, 380), at(410, 200)];
    const demand = {
      coords: Float64Array.from(points.flat()),
      owner: Uint32Array.of(0, 0, 1, 1, 2),
      ownerCount: 3,
    };
    const facilities = { coords: Float64Array.from([at(600, 5), at(5, 200)].flat()), ids: ['F1', 'F2'] };
    const network = new NetworkSource(graph, demand);
    const all = network.within(facilities, Number.POSITIVE_INFINITY);
    const csv = ['origin_id,destination_id,cost'];
    for (let i = 0; i < points.length; i++) {
      for (let k = all.offsets[i]!; k < all.offsets[i + 1]!; k++) {
        csv.push(`p${i},${facilities.ids[all.targets[k]!]},${all.costs[k]!}`);
      }
    }
    const matrix = new CostMatrixSource(demand, parseCostMatrixCsv(csv.join('\n')).rows, {
      originIds: points.map((_, i) => `p${i}`),
    });
    for (const bound of [100, 400, 700, 2000]) {
      expect(matrix.reach(facilities, bound)).toEqual(network.reach(facilities, bound));
      expect(matrix.within(facilities, bound)).toEqual(network.within(facilities, bound));
    }
  });
});

describe('strict costs (issue #17)', () => {
  it('rejects hexadecimal, exponent-less and text costs instead of reading 16 or 1', () => {
    const { rows, rejected } = parseCostMatrixCsv(
      'origin_id,destination_id,cost\nC1,K1,0x10\nC1,K2,1e\nC1,K3,abc\nC1,K4,420\n',
      'm.csv',
    );
    expect(rows).toEqual([{ origin_id: 'C1', destination_id: 'K4', cost: 420 }]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'line 2: cost must be a plain decimal number >= 0, got "0x10"',
      'line 3: cost must be a plain decimal number >= 0, got "1e"',
      'line 4: cost must be a plain decimal number >= 0, got "abc"',
    ]);
  });
});

describe('CostMatrixSource.checkDestinations (issue #17)', () => {
  it('reports rows naming a facility that is not in the run, instead of ignoring them silently', () => {
    const origins = { coords: new Float64Array(2), owner: Uint32Array.of(0), ownerCount: 1 };
    const { rows } = parseCostMatrixCsv('origin_id,destination_id,cost\nC1,K1,100\nC1,K9,50\nC1,X2,70\n');
    const source = new CostMatrixSource(origins, rows, { ownerIds: ['C1'], file: 'm.csv' });
    const warnings = source.checkDestinations(['K1', 'K2']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: 'm.csv', field: 'destination_id' });
    expect(warnings[0]!.message).toBe(
      '2 destination ids in the cost matrix match no facility or candidate, so their rows were not used: K9, X2',
    );
    expect(source.checkDestinations(['K1', 'K9', 'X2'])).toEqual([]);
  });
});
