import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InputError, OptionError, type Rejection } from '@lifecircle/core';
import { analyzeCommand } from './commands/analyze.js';
import { checkCommand } from './commands/check.js';
import { monitorCommand } from './commands/monitor.js';
import { siteCommand } from './commands/site.js';

/** Where a command writes: the real streams in the binary, buffers in tests. */
export interface Console {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress redraws a line there, prints lines elsewhere). */
  readonly interactive: boolean;
}

/** A mistake in how the command was called: shown with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command: its options, its help text and what it does with them. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, unknown>, console: Console): number | Promise<number>;
}

const commands: readonly Command[] = [analyzeCommand, checkCommand, monitorCommand, siteCommand];

const REJECTIONS_SHOWN = 20;

/**
 * Rejected features one per line, naming file, feature (or a table's row, as a spreadsheet numbers it),
 * id and field, as users fix them.
 */
export function formatRejections(rejected: readonly Rejection[], shown: number): string {
  const lines = [`${rejected.length} feature(s) rejected:`];
  for (const r of rejected.slice(0, shown)) {
    const where = r.row === undefined ? `feature ${r.index}` : `row ${r.row}`;
    lines.push(`  ${r.file} ${where}${r.id ? ` (${r.id})` : ''}, ${r.field}: ${r.reason}`);
  }
  if (rejected.length > shown) lines.push(`  … and ${rejected.length - shown} more`);
  return `${lines.join('\n')}\n`;
}

const overview = `lifecircle: which communities lack a facility within walking distance

Usage: lifecircle <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Run 'lifecircle <command> --help' for a command's options.
`;

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns the exit code:
 * 0 done, 1 the input data could not be used, 2 the command was called wrongly.
 */
export async function run(argv: readonly string[], console: Console): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.out(overview);
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.err(
      `lifecircle: unknown command '${name}'. Use one of: ${commands.map((c) => c.name).join(', ')}.\n`,
    );
    return 2;
  }
  try {
    let values: Record<string, unknown>;
    try {
      ({ values } = parseArgs({
        args: [...rest],
        options: { ...command.options, help: { type: 'boolean', short: 'h' } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
    }
    if (values.help) {
      console.out(command.usage);
      return 0;
    }
    return await command.run(values, console);
  } catch (error) {
    if (error instanceof UsageError || error instanceof OptionError) {
      console.err(
        `lifecircle ${command.name}: ${error.message}\nRun 'lifecircle ${command.name} --help' for usage.\n`,
      );
      return 2;
    }
    if (error instanceof InputError) {
      console.err(`lifecircle ${command.name}: ${error.message}\n`);
      if (error.rejected.length > 0) console.err(formatRejections(error.rejected, REJECTIONS_SHOWN));
      return 1;
    }
    throw error;
  }
}
