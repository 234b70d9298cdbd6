import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/golden.js';
import { run } from '../src/cli.js';

// End-to-end goldens: the bundled city through the CLI, as a user runs it. Regenerate with
// `UPDATE_GOLDENS=1 npx vitest run packages/cli/test/pingliang.golden.test.ts` after an intended
// change (test/golden.ts), and read the diff of fixtures/pingliang/out/ before committing.
const fixture = (name: string) => new URL(`../../../fixtures/pingliang/${name}`, import.meta.url).pathname;
const golden = (name: string) => new URL(`../../../fixtures/pingliang/out/${name}`, import.meta.url);

async function analyze(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(['analyze', ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    interactive: false,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('lifecircle analyze on the bundled Pingliang city', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifecircle-golden-'));
  const args = [
    '--communities',
    fixture('communities.geojson'),
    '--facilities',
    fixture('facilities.geojson'),
    // summary.json records the threads; the default (the machine's cores) would differ per machine.
    '--threads',
    '2',
  ];

  it('writes the golden outputs', async () => {
    // Progress is asked for: stderr is not a terminal here.
    const { code, stdout, stderr } = await analyze([...args, '--out', dir, '--progress']);
    expect(code).toBe(0);
    expect(stderr).toContain('summarize');
    // Paths differ per machine; the golden keeps the file names only.
    const portable = (text: string) => text.replaceAll(dir, 'OUT').replaceAll(fixture(''), '');
    expectGolden(portable(stdout), golden('stdout.txt'));
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expectGolden(portable(`${JSON.stringify(summary, null, 2)}\n`), golden('summary.json'));
    expectGolden(readFileSync(join(dir, 'gaps.csv'), 'utf8'), golden('gaps.csv'));
    expectGolden(readFileSync(join(dir, 'districts.csv'), 'utf8'), golden('districts.csv'));
    expectGolden(readFileSync(join(dir, 'communities.geojson'), 'utf8'), golden('communities.geojson'));
  });

  it('accounts for every input feature: in the output or rejected', async () => {
    const { code } = await analyze([...args, '--out', dir, '--quiet']);
    expect(code).toBe(0);
    const communitiesIn = JSON.parse(readFileSync(fixture('communities.geojson'), 'utf8')).features.length;
    const communitiesOut = JSON.parse(readFileSync(join(dir, 'communities.geojson'), 'utf8')).features.length;
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const rejectedCommunities = summary.rejected.filter((r: { file: string }) =>
      r.file.endsWith('communities.geojson'),
    );
    expect(communitiesOut + rejectedCommunities.length).toBe(communitiesIn);
  });

  it('prints the summary as JSON with --json', async () => {
    const { code, stdout } = await analyze([...args, '--json', '--quiet', '--types', 'kindergarten,托育']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(Object.keys(summary.types)).toEqual(['nursery_childcare', 'kindergarten']);
    expect(summary.types.nursery_childcare.capacity_per_1000).toBeLessThan(4.5);
  });
});
