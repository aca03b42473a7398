import type { Command } from 'commander';
import type { CommandContext } from './context.js';

/** What a command group needs to declare its commands: the program, the action wrapper, the help-example helper. */
export interface Registrar {
  program: Command;
  act: <A extends unknown[]>(fn: (c: CommandContext, ...args: A) => Promise<number>) => (...args: A) => Promise<void>;
  examples: (lines: string[]) => string;
}

/** A help text's examples, one `$ ` line each. */
export const examples = (lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
