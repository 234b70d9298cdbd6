import type { ParseArgsConfig } from 'node:util';

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
  /** Whether the command takes arguments besides its options (`lifecircle inspect FILE…`). */
  readonly positionals?: boolean;
  run(
    values: Record<string, unknown>,
    console: Console,
    positionals: readonly string[],
  ): number | Promise<number>;
}
