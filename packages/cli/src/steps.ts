import type { Command, CommandSteps, StepIo, StepOptions } from './command.js';
import { processPool } from './options/analysis.js';
import { type Formatted, writeOutputs } from './outputs/named.js';
import { clearStoppedSummary, withStoppedSummary } from './outputs/stopped.js';

/**
 * A command as its help and its three steps, the parse step reading only the command's own flags
 * (`--out`, `--json` and the input flags are added by {@link stepCommand}).
 */
export interface StepCommandParts<O, R> extends Omit<Command, 'run'> {
  parse(values: Record<string, unknown>, positionals: readonly string[]): O;
  /**
   * Checks the flags the command shares with others (inputs, coordinate systems, formats, distance),
   * after its own and without reading a file: with it, the parse step alone rejects every flag
   * mistake. Run reads the files with the same flags.
   */
  checkSharedFlags?(values: Record<string, unknown>): void;
  run(options: O & StepOptions, io: StepIo): Promise<R>;
  format(result: R, options: O & StepOptions): Formatted;
}

/** A {@link Command} made of steps, which are there to be called one by one (tests, a library user). */
export type StepCommand<O, R> = Command & { readonly steps: CommandSteps<O & StepOptions, R> };

/**
 * A {@link Command} from its help and its three steps: parse the flags, then (recording the run, so
 * that one that stops with `--out` leaves a summary.json saying how far it got) run, format, write
 * each named output to `--out` and print the terminal text. Exit code 0; mistakes are thrown to
 * `cli.ts`, which maps them to 1 and 2.
 */
export function stepCommand<O, R>({
  parse,
  checkSharedFlags,
  run,
  format,
  ...help
}: StepCommandParts<O, R>): StepCommand<O, R> {
  const steps: CommandSteps<O & StepOptions, R> = {
    parse: (values, positionals) => {
      const own = parse(values, positionals);
      checkSharedFlags?.(values);
      return { ...own, ...stepOptions(values) };
    },
    run,
    format,
  };
  return {
    ...help,
    steps,
    async run(values, console, positionals) {
      const options = steps.parse(values, positionals);
      return withStoppedSummary(options.out, async (record) => {
        const result = await steps.run(options, { console, record, pool: processPool });
        record.stage = 'writing outputs';
        const formatted = steps.format(result, options);
        if (options.out) {
          await writeOutputs(options.out, formatted.outputs, record.written);
          // A run writing no summary.json of its own must not leave a stopped run's behind.
          if (!formatted.outputs.some((o) => o.name === 'summary.json')) clearStoppedSummary(options.out);
        }
        console.out(formatted.terminal());
        return 0;
      });
    },
  };
}

/** The {@link StepOptions} of the flags every command reads the same way. */
function stepOptions(values: Record<string, unknown>): StepOptions {
  const out = values.out as string | undefined;
  // An empty --out writes nothing, as before.
  return { ...(out ? { out } : {}), json: values.json === true, inputs: values };
}
