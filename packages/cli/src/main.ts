#!/usr/bin/env node
import { run } from './cli.js';

run(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only a bug in lifecircle gets here: user mistakes are reported by run() without a trace.
    process.stderr.write(
      `lifecircle: internal error, please report it with the command you ran.\n${(error as Error)?.stack ?? error}\n`,
    );
    process.exitCode = 70;
  },
);
