import { DEFAULT_DB_PATH } from '@cryptotrace/adapters';
import type { InProcess } from './in-process.js';
import type { Io } from './output.js';

/** What every command gets: where the store is, how to print, the global flags, and other commands to run in process. */
export interface CommandContext {
  cwd: string;
  db: string;
  json: boolean;
  io: Io;
  inProcess: InProcess;
}

/** The store path: --db, then CRYPTOTRACE_DB, then ./cryptotrace.db. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.CRYPTOTRACE_DB ?? DEFAULT_DB_PATH;
}

/** For a write command's store: a write waiting for another process's lock says so on stderr, once. */
export function waitNote(ctx: CommandContext): (message: string) => void {
  return (message) => ctx.io.err(`note: ${message}\n`);
}
