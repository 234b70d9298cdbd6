import { InputError, validateCommunities } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { joinPopulation } from './population.js';

function communities(list: readonly Record<string, unknown>[]) {
  return {
    type: 'FeatureCollection',
    features: list.map((properties) => ({
      type: 'Feature',
      properties,
      geometry: { type: 'Point', coordinates: [106.66, 35.54] },
    })),
  };
}

const base = communities([
  { id: 'C001', name: '东关社区' },
  { id: 'C002', name: '西郊社区', population: 900 },
  { id: 'C003', name: '中街社区' },
]);

/** A population table keyed by `id` with a `population` column, as io's table reader gives it. */
const idPopulationTable = (records: Record<string, unknown>[]) => ({
  file: 'pop.csv',
  columns: ['id', 'population'],
  records,
});

describe('joinPopulation', () => {
  it('sets population by id, and core validates it as if the file carried it', () => {
    const table = {
      file: 'pop.csv',
      columns: ['社区编号', '常住人口'],
      records: [
        { 社区编号: 'C001', 常住人口: 3200 },
        { 社区编号: 'C002', 常住人口: '1,250' },
        { 社区编号: 'C003', 常住人口: 0 },
      ],
    };
    const before = JSON.stringify(base);
    const { collection, record, warnings } = joinPopulation(base, table, { by: 'id' });
    expect(JSON.stringify(base)).toBe(before);
    expect(record).toEqual({
      table: 'pop.csv',
      by: 'id',
      table_key: '社区编号',
      population_column: '常住人口',
      rows: 3,
      matched: 3,
      unmatched_rows: 0,
      unmatched_communities: 0,
      replaced: 1,
    });
    expect(warnings).toEqual([
      expect.objectContaining({
        code: 'population-replaced',
        message: expect.stringContaining('#1 (C002): 900 → 1250'),
      }),
    ]);
    const { records, rejected } = validateCommunities(collection, 'c.geojson');
    expect(rejected).toEqual([]);
    expect(records.map((r) => r.population)).toEqual([3200, 1250, 0]);
  });

  it('joins by name after folding full-width characters and spaces, and reports both kinds of unmatched', () => {
    const table = {
      file: 'pop.xlsx',
      columns: ['名称', '人口'],
      records: [
        { 名称: ' 东关社区 ', 人口: 3200 },
        { 名称: '中街社区', 人口: 1800 },
        { 名称: '北塬社区', 人口: 700 },
        { 名称: null, 人口: 50 },
      ],
      rows: [2, 3, 5, 6],
    };
    const { collection, record, warnings } = joinPopulation(base, table, {
      by: 'name',
      communitiesFile: 'c.shp',
    });
    expect(record).toMatchObject({ matched: 2, unmatched_rows: 1, unmatched_communities: 1 });
    expect(warnings).toEqual([
      {
        code: 'population-unmatched-row',
        file: 'pop.xlsx',
        field: '名称',
        message: '1 of 3 rows match no community by name: row 5 (北塬社区)',
      },
      {
        code: 'population-unmatched-row',
        file: 'pop.xlsx',
        field: '名称',
        message: '1 rows have no 名称 and were not joined: rows 6',
      },
      {
        code: 'population-unmatched-community',
        file: 'c.shp',
        field: 'name',
        message:
          '1 of 3 communities match no row of pop.xlsx by name: #1 (西郊社区); they keep the population of their file',
      },
    ]);
    const { records } = validateCommunities(collection);
    expect(records.map((r) => [r.id, r.population])).toEqual([
      ['C001', 3200],
      ['C002', 900],
      ['C003', 1800],
    ]);
  });

  it('counts bad rows once, however many communities share them (issue #17: 7 shown where 4 were)', () => {
    const repeated = communities([
      { id: 'C001' },
      { id: 'C001' },
      { id: 'C001' },
      { id: 'C002' },
      { id: 'C003' },
    ]);
    const table = idPopulationTable([
      { id: 'C001', population: 'n/a' },
      { id: 'C002', population: 10 },
      { id: 'C003', population: '0x10' },
    ]);
    const { warnings } = joinPopulation(repeated, table, { by: 'id' });
    const invalid = warnings.find((w) => w.code === 'population-invalid');
    expect(invalid?.message).toBe(
      '2 rows have a population that is not a plain decimal number from 0 to 1,000,000,000, so their 4 communities are rejected: row 2 (C001: "n/a"), row 4 (C003: "0x10")',
    );
  });

  it('passes a bad population on, so validation rejects that community, and names the row', () => {
    const table = idPopulationTable([
      { id: 'C001', population: 'about 3000' },
      { id: 'C002', population: 10 },
      { id: 'C003', population: -5 },
    ]);
    const { collection, warnings } = joinPopulation(base, table, { by: 'id' });
    expect(warnings[0]).toMatchObject({
      code: 'population-invalid',
      message:
        '2 rows have a population that is not a plain decimal number from 0 to 1,000,000,000, so their communities are rejected: row 2 (C001: "about 3000"), row 4 (C003: -5)',
    });
    const { rejected } = validateCommunities(collection, 'c.geojson');
    expect(rejected.map((r) => [r.id, r.field])).toEqual([
      ['C001', 'population'],
      ['C003', 'population'],
    ]);
  });

  it('stops on a key repeated in the table, naming the rows', () => {
    const table = {
      file: 'pop.csv',
      columns: ['id', 'pop'],
      records: [
        { id: 'C001', pop: 1 },
        { id: 'C002', pop: 2 },
        { id: 'C001', pop: 3 },
      ],
    };
    const call = () => joinPopulation(base, table, { by: 'id' });
    expect(call).toThrow(InputError);
    expect(call).toThrow(/^pop\.csv: 1 id value\(s\) appear on more than one row, .*'C001' on rows 2, 4\./);
  });

  it('stops on a name shared by communities when joining by name', () => {
    const twins = communities([
      { id: 'a', name: '新村' },
      { id: 'b', name: '新村' },
    ]);
    const table = {
      file: 'pop.csv',
      columns: ['name', 'population'],
      records: [{ name: '新村', population: 5 }],
    };
    expect(() => joinPopulation(twins, table, { by: 'name', communitiesFile: 'c.geojson' })).toThrow(
      /^c\.geojson: 1 name value\(s\) are shared by several communities, .*'新村' \(features #0, #1\)\. Join by id/,
    );
  });

  it('names the columns when it cannot find the key or the population', () => {
    const table = { file: 'pop.csv', columns: ['区', '数'], records: [] };
    expect(() => joinPopulation(base, table, { by: 'id' })).toThrow(
      /^pop\.csv: no column to join communities by id \(looked for id, .*\); the columns are '区', '数'\. Name the key column with --join-table-key\./,
    );
    expect(() => joinPopulation(base, table, { by: 'id', tableKey: '区' })).toThrow(
      /no population column .*Name it with --population-column\./,
    );
    expect(() => joinPopulation(base, table, { by: 'id', tableKey: '区', populationColumn: '人口' })).toThrow(
      /has no column '人口' \(--population-column\)/,
    );
  });
});
