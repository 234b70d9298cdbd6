import { OptionError } from '@lifecircle/core';
import { DEFAULT_LIMITS, formatAmount, LimitError, type ReadLimits } from '@lifecircle/io';

/** `--limit NAME=VALUE` (repeatable): raises or lowers one of io's reading limits. */
export const limitOption = { limit: { type: 'string', multiple: true } } as const;

const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof ReadLimits)[];

/** Help text of `--limit`, listing every limit and its default. */
export const limitHelp = `  --limit NAME=VALUE     raise (or lower) a reading limit for a genuine file refused as too large,
                         e.g. --limit maxSheetCells=50000000 --limit maxEntryBytes=8GB (repeatable;
                         sizes in bytes or with KB, MB, GB). Limits and defaults (docs/formats.md#limits):
${LIMIT_NAMES.map((name) => `                           ${name} ${formatAmount(name, DEFAULT_LIMITS[name])}`).join('\n')}`;

const UNITS: Readonly<Record<string, number>> = { '': 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * The reading limits given with `--limit NAME=VALUE`, as io's `ReadOptions.limits`; undefined when
 * none is given.
 *
 * @throws {OptionError} for an unknown name or a value that is not a positive number.
 */
export function parseLimits(values: Record<string, unknown>): Partial<ReadLimits> | undefined {
  const given = values.limit;
  const texts = Array.isArray(given) ? (given as string[]) : typeof given === 'string' ? [given] : [];
  if (texts.length === 0) return undefined;
  const limits: Partial<Record<keyof ReadLimits, number>> = {};
  for (const text of texts) {
    const match = /^\s*([A-Za-z]+)\s*=\s*([0-9]+(?:\.[0-9]+)?)\s*([KkMmGg][Bb])?\s*$/.exec(text);
    const name = match ? LIMIT_NAMES.find((n) => n.toLowerCase() === match[1]!.toLowerCase()) : undefined;
    if (!match || name === undefined) {
      throw new OptionError(
        '--limit',
        `'${text}' is not NAME=VALUE with one of ${LIMIT_NAMES.join(', ')} (e.g. --limit maxSheetCells=50000000).`,
      );
    }
    const unit = (match[3] ?? '').toLowerCase();
    const value = Number(match[2]) * UNITS[unit]!;
    if (unit !== '' && !name.endsWith('Bytes')) {
      throw new OptionError('--limit', `${name} is a count, not a size: give it without ${match[3]}.`);
    }
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new OptionError('--limit', `${name} must be a positive number, not '${match[2]}'.`);
    }
    if (limits[name] !== undefined) {
      throw new OptionError('--limit', `${name} given twice (${limits[name]}, ${value}).`);
    }
    limits[name] = Math.floor(value);
  }
  return limits;
}

/**
 * A {@link LimitError}'s message worded for the command line: what was found, the limit, and the
 * `--limit` that raises it.
 */
export function limitMessage(error: LimitError): string {
  const raised = Math.max(error.allowed * 10, 1);
  return error.worded(`raise it with --limit ${error.limit}=${raised} if the file is genuine`);
}

/**
 * An input error's message as the command line prints it (and a stopped run's summary.json records
 * it): a file beyond a reading limit names the `--limit` that raises it ({@link limitMessage}).
 */
export function inputErrorMessage(error: Error): string {
  return error instanceof LimitError ? limitMessage(error) : error.message;
}
