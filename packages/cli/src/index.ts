/**
 * The `lifecircle` command as a library: `run(argv, console)` runs a command in-process and returns its
 * exit code (0 done, 1 unusable input, 2 wrong call), and the file helpers it writes outputs with.
 *
 * @packageDocumentation
 * @module @lifecircle/cli
 */
export { run } from './cli.js';
export { type Command, type Console, UsageError } from './command.js';
export { readJsonFile } from './inputs/files.js';
export { toCsv, writeTextFile } from './outputs/files.js';
