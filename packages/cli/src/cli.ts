import { parseArgs } from 'node:util';
import { InputError, OptionError } from '@lifecircle/core';
import { type Console, UsageError } from './command.js';
import { commands } from './commands/index.js';
import { inputErrorMessage } from './options/limits.js';
import { formatRejections, terminalText } from './outputs/terminal.js';

const REJECTIONS_SHOWN = 20;

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
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: [...rest],
        options: { ...command.options, help: { type: 'boolean', short: 'h' } },
        strict: true,
        allowPositionals: command.positionals === true,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
    }
    if (values.help) {
      console.out(command.usage);
      return 0;
    }
    return await command.run(values, console, positionals);
  } catch (error) {
    if (error instanceof UsageError || error instanceof OptionError) {
      console.err(
        `lifecircle ${command.name}: ${terminalText(error.message)}\nRun 'lifecircle ${command.name} --help' for usage.\n`,
      );
      return 2;
    }
    if (error instanceof InputError) {
      // A file beyond a reading limit: the message names the --limit that raises it.
      console.err(`lifecircle ${command.name}: ${terminalText(inputErrorMessage(error))}\n`);
      if (error.rejected.length > 0) console.err(formatRejections(error.rejected, REJECTIONS_SHOWN));
      return 1;
    }
    throw error;
  }
}
