import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CostTable } from '../distance/types.js';
import { capacitatedAssignment } from './assignment.js';
import { gaussianDecay, stepDecay } from './decay.js';
import { enhancedTwoStepFloatingCatchment, twoStepFloatingCatchment } from './fca.js';

/** A CSR table from rows of [target, cost] per origin. */
function table(rows: readonly (readonly [number, number])[][], bound: number): CostTable {
  const offsets = new Uint32Array(rows.length + 1);
  rows.forEach((row, i) => {
    offsets[i + 1] = offsets[i]! + row.length;
  });
  return {
    bound,
    offsets,
    targets: Uint32Array.from(rows.flat(), (p) => p[0]),
    costs: Float64Array.from(rows.flat(), (p) => p[1]),
  };
}

// Three demand points (100, 200, 300 people) and two clinics (10 and 30 places):
//   P0–F0 200 m; P1–F0 600 m, P1–F1 400 m; P2–F1 900 m, P2–F0 1,200 m.
const example = table(
  [
    [[0, 200]],
    [
      [0, 600],
      [1, 400],
    ],
    [
      [1, 900],
      [0, 1200],
    ],
  ],
  1200,
);
const demand = [100, 200, 300];
const supply = [10, 30];

describe('two-step floating catchment', () => {
  it('reproduces the hand computation (catchment 1,000 m)', () => {
    // R0 = 10 / (100 + 200) = 1/30; R1 = 30 / (200 + 300) = 0.06 (P2–F0 is beyond 1,000 m).
    const fca = twoStepFloatingCatchment(example, supply, demand, { catchment: 1000 });
    expect(fca.ratio[0]).toBeCloseTo(1 / 30, 15);
    expect(fca.ratio[1]).toBeCloseTo(0.06, 15);
    expect([...fca.access].map((a) => Number(a.toFixed(12)))).toEqual([0.033333333333, 0.093333333333, 0.06]);
    expect(fca.distributedSupply).toBe(40);
  });

  it('reproduces the hand computation with step decay (E2SFCA, 1 to 500 m, 0.5 to 1,000 m)', () => {
    // Weights: P0F0 1, P1F0 0.5, P1F1 1, P2F1 0.5, P2F0 0.
    // R0 = 10 / (100 + 200 × 0.5) = 0.05; R1 = 30 / (200 + 300 × 0.5) = 30/350.
    const fca = enhancedTwoStepFloatingCatchment(
      example,
      supply,
      demand,
      stepDecay([
        [500, 1],
        [1000, 0.5],
      ]),
    );
    expect(fca.ratio[0]).toBeCloseTo(0.05, 15);
    expect(fca.ratio[1]).toBeCloseTo(30 / 350, 15);
    expect(fca.access[0]).toBeCloseTo(0.05, 15);
    expect(fca.access[1]).toBeCloseTo(0.025 + 30 / 350, 15);
    expect(fca.access[2]).toBeCloseTo(15 / 350, 15);
  });

  it('gives everyone total supply ÷ total demand when every catchment holds everyone', () => {
    const all = table(
      [0, 1, 2, 3].map(() => [0, 1, 2].map((j) => [j, 10 + j] as const)),
      100,
    );
    const fca = twoStepFloatingCatchment(all, [5, 7, 8], [10, 20, 30, 40]);
    for (const a of fca.access) expect(a).toBeCloseTo(20 / 100, 15);
  });

  it('counts unknown supply as nothing and flags who reaches it', () => {
    const fca = twoStepFloatingCatchment(example, [Number.NaN, 30], demand, { catchment: 1000 });
    expect(Number.isNaN(fca.ratio[0]!)).toBe(true);
    expect([...fca.partial]).toEqual([1, 1, 0]);
    expect(fca.access[0]).toBe(0);
    expect(fca.access[2]).toBeCloseTo(0.06, 15);
  });

  it('conserves supply: Σ demand × access equals the supply with demand in its catchment', () => {
    const arbitrary = fc.record({
      rows: fc.array(
        fc.array(fc.tuple(fc.nat(7), fc.double({ min: 0, max: 1000, noNaN: true })), { maxLength: 8 }),
        {
          minLength: 1,
          maxLength: 15,
        },
      ),
      supply: fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 8, maxLength: 8 }),
      // People: none, or from a thousandth (a share spread over grid points) up.
      demand: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1000, noNaN: true })), {
        minLength: 15,
        maxLength: 15,
      }),
      decay: fc.constantFrom('none', 'gaussian', 'step'),
      catchment: fc.double({ min: 1, max: 1000, noNaN: true }),
    });
    fc.assert(
      fc.property(arbitrary, ({ rows, supply, demand, decay, catchment }) => {
        // One pair per (origin, target), as a distance source gives.
        const unique = rows.map((row) => [...new Map(row.map(([t, c]) => [t, c])).entries()]);
        const t = table(unique, 1000);
        const d = demand.slice(0, unique.length);
        const fca = twoStepFloatingCatchment(t, supply, d, {
          catchment,
          decay:
            decay === 'gaussian'
              ? gaussianDecay(300)
              : decay === 'step'
                ? stepDecay([
                    [500, 1],
                    [1000, 0.4],
                  ])
                : null,
        });
        let total = 0;
        d.forEach((di, i) => {
          total += di * fca.access[i]!;
        });
        const expected = fca.distributedSupply;
        expect(Math.abs(total - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
        const all = supply.reduce((s, v) => s + v, 0);
        expect(fca.distributedSupply + fca.unusedSupply).toBeCloseTo(all, 6);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('throws on a demand array that does not fit the table', () => {
    expect(() => twoStepFloatingCatchment(example, supply, [1, 2])).toThrowError(
      'The table has 3 origins but 2 demand values were given.',
    );
  });
});

describe('capacitated assignment', () => {
  // Clinic F0 has 50 places and F1 150; P3 (50 people) reaches nothing.
  const withP3 = table(
    [
      ...[
        [[0, 200]],
        [
          [0, 600],
          [1, 400],
        ],
        [[1, 900]],
      ].map((r) => r as [number, number][]),
      [],
    ],
    1000,
  );

  it('assigns nearest pairs first, by hand', () => {
    // P0–F0 (200 m): 50 of 100 → F0 full. P1–F1 (400 m): 150 of 200 → F1 full. Nothing left for P2.
    const a = capacitatedAssignment(withP3, [50, 150], [100, 200, 300, 50]);
    expect([...a.served]).toEqual([50, 150, 0, 0]);
    expect([...a.overCapacity]).toEqual([50, 50, 300, 0]);
    expect([...a.outside]).toEqual([0, 0, 0, 50]);
    expect([...a.load]).toEqual([50, 150]);
  });

  it('leaves demand unknown where only a facility of unknown capacity had room', () => {
    const a = capacitatedAssignment(withP3, [50, Number.NaN], [100, 200, 300, 50]);
    expect([...a.served]).toEqual([50, 0, 0, 0]);
    expect([...a.unknown]).toEqual([0, 200, 300, 0]);
    expect([...a.overCapacity]).toEqual([50, 0, 0, 0]);
  });

  it('leaves out facilities that do not serve', () => {
    const a = capacitatedAssignment(withP3, [50, 150], [100, 200, 300, 50], { serving: [1, 0] });
    expect([...a.outside]).toEqual([0, 0, 300, 50]);
    expect([...a.overCapacity]).toEqual([50, 200, 0, 0]);
  });

  it('accounts for every person and never exceeds a capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(fc.nat(4), fc.integer({ min: 0, max: 600 })), { maxLength: 5 }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 80 }), fc.constant(Number.NaN)), {
          minLength: 5,
          maxLength: 5,
        }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 12, maxLength: 12 }),
        (rows, capacity, demand) => {
          const unique = rows.map((row) => [...new Map(row.map(([t, c]) => [t, c])).entries()]);
          const d = demand.slice(0, unique.length);
          const a = capacitatedAssignment(table(unique, 600), capacity, d, { catchment: 400 });
          d.forEach((di, i) => {
            expect(a.served[i]! + a.overCapacity[i]! + a.outside[i]! + a.unknown[i]!).toBeCloseTo(di, 9);
          });
          capacity.forEach((c, j) => {
            if (Number.isNaN(c)) expect(a.load[j]).toBe(0);
            else expect(a.load[j]).toBeLessThanOrEqual(c + 1e-9);
          });
          const served = [...a.served].reduce((s, v) => s + v, 0);
          expect([...a.load].reduce((s, v) => s + v, 0)).toBeCloseTo(served, 9);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});
