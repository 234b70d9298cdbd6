import type { FeatureRead } from './types.js';

/**
 * Problems found later, by feature index in a read's `collection` (validation's rejections and
 * warnings), pointed back at the file: the index becomes the record's position in the file and, for
 * tables and line-delimited files, `row` its row or line. Problems of other files pass unchanged. Give
 * it only problems indexed by feature, not the reader's own, which already name their rows.
 *
 * @example
 * const read = await readFeatures(bytes, 'communities.csv');
 * const { rejected } = validateCommunities(read.collection, read.file);
 * locateProblems(rejected, [read]); // [{ file: 'communities.csv', index: 4, row: 6, … }]
 */
export function locateProblems<T extends { readonly file: string; readonly index?: number }>(
  problems: readonly T[],
  reads: readonly Pick<FeatureRead, 'file' | 'origins'>[],
): T[] {
  const byFile = new Map(reads.filter((r) => r.origins !== null).map((r) => [r.file, r.origins!]));
  if (byFile.size === 0) return [...problems];
  return problems.map((problem) => {
    const origins = byFile.get(problem.file);
    const i = problem.index;
    if (!origins || i === undefined || i < 0 || i >= origins.index.length) return problem;
    const row = origins.row?.[i];
    return { ...problem, index: origins.index[i]!, ...(row === undefined ? {} : { row }) };
  });
}
