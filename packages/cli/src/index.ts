export { type Command, type Console, run, UsageError } from './cli.js';
export { readJsonFile, toCsv, writeTextFile } from './io/files.js';
