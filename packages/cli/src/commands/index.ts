import type { Command } from '../command.js';
import { analyzeCommand } from './analyze.js';
import { checkCommand } from './check.js';
import { inspectCommand } from './inspect.js';
import { monitorCommand } from './monitor.js';
import { siteCommand } from './site.js';

/** Every command of `lifecircle`, in the order the overview lists them. */
export const commands: readonly Command[] = [
  analyzeCommand,
  checkCommand,
  monitorCommand,
  siteCommand,
  inspectCommand,
];
