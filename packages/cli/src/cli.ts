import { Command, CommanderError } from 'commander';
import { exitCodeOf, isCtraceError } from '@cryptotrace/core';
import type { CommandContext } from './context.js';
import type { Captured, InProcess } from './in-process.js';
import { type Io, colorSupported, configureOutput, outputSettings, processIo, safeText } from './output.js';
import { registerCluster } from './register/cluster.js';
import { EXAMPLE_CASE_HELP } from './register/example-case.js';
import { registerFetch } from './register/fetch.js';
import { registerGenerate } from './register/generate.js';
import { registerLearn } from './register/learn.js';
import { registerLabels } from './register/labels.js';
import { registerReport } from './register/report.js';
import { registerStore } from './register/store.js';
import { registerTaint } from './register/taint.js';
import { type Registrar, examples } from './registrar.js';

/**
 * Exit codes: 0 success; 1 a finding (not found, a replay mismatch, a --fail-on threshold passed);
 * 2 bad input or usage; 3 a remote source failed; 4 the store is unusable; 70 internal error (a bug);
 * 130 interrupted (what was committed stays).
 */
export const EXIT_CODES = { ok: 0, finding: 1, badInput: 2, source: 3, store: 4, internal: 70, interrupted: 130 } as const;

/**
 * Build the program; every action is lazy-imported and returns its exit code through `setCode`. Only commander and
 * the small core error module load before a command runs: `ctrace --help` starts in about the time of a bare node.
 */
export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command('ctrace')
    .description('cryptotrace: cluster wallets, trace funds and rank suspects, with the evidence for every conclusion')
    .version('0.1.0')
    .option('--db <path>', 'case store file (default: $CRYPTOTRACE_DB or ./cryptotrace.db)')
    .option('--json', 'machine-readable JSON on stdout (stable schema, byte-identical for the same input)')
    .option('--csv', 'tables as CSV on stdout')
    .option('--base-units', 'amounts as exact integers in base units (sat, wei) instead of coin units')
    .option('--full', 'addresses and ids in full instead of shortened')
    .option('--no-color', 'no colour (also off when stdout is not a TTY, or NO_COLOR is set)')
    .hook('preAction', () => {
      const g = program.opts<{ csv?: boolean; baseUnits?: boolean; full?: boolean; color?: boolean }>();
      configureOutput({ csv: Boolean(g.csv), baseUnits: Boolean(g.baseUnits), full: Boolean(g.full), color: g.color !== false && colorSupported(process.stdout) });
    })
    .addHelpText('after', EXAMPLE_CASE_HELP)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  // context.js (and the store it names) is imported when a command runs, not for --help or a usage error.
  const ctx = async (): Promise<CommandContext> => {
    const g = program.opts<{ db?: string; json?: boolean }>();
    const { resolveDbPath } = await import('./context.js');
    const inProcess: InProcess = { run: runCaptured, commands: () => new Set(program.commands.map((c) => c.name())) };
    return { cwd: process.cwd(), db: resolveDbPath(g.db), json: Boolean(g.json), io, inProcess };
  };
  const act = <A extends unknown[]>(fn: (c: CommandContext, ...args: A) => Promise<number>) =>
    async (...args: A) => setCode(await fn(await ctx(), ...args));

  const reg: Registrar = { program, act, examples };
  registerStore(reg);
  registerFetch(reg);
  registerGenerate(reg);
  registerLearn(reg);
  registerCluster(reg);
  registerLabels(reg);
  registerTaint(reg);
  registerReport(reg);

  return program;
}

/** Run the CLI on argv (without node and script); returns the exit code. Errors become one line on stderr. */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are exits with code 0; anything else commander refused is a usage error.
      return err.exitCode === 0 ? 0 : EXIT_CODES.badInput;
    }
    if (isCtraceError(err)) {
      io.err(`ctrace: ${safeText(err.shortMessage)}\n`);
      return exitCodeOf(err);
    }
    // A store that is locked, read-only, full or damaged is the environment's fault, not a bug.
    const fault = await storeFaultOf(err, program.opts<{ db?: string }>().db);
    if (fault) {
      io.err(`ctrace: ${safeText(fault.shortMessage)}\n`);
      return exitCodeOf(fault);
    }
    io.err(`ctrace: internal error, please report it with the command you ran:\n${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT_CODES.internal;
  }
}

/** Run one command in this process, as the binary would, capturing what it printed (the context's `inProcess`). */
async function runCaptured(argv: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: Io = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), isTTY: false };
  const saved = outputSettings();
  try {
    return { code: await run(argv, io), stdout, stderr };
  } finally {
    configureOutput(saved);
  }
}

/** The store fault an unexpected error is (SQLITE_BUSY, SQLITE_READONLY, SQLITE_FULL, ENOSPC, ...), or null. */
async function storeFaultOf(err: unknown, dbFlag: string | undefined) {
  if (typeof (err as { code?: unknown } | null)?.code !== 'string') return null;
  const [{ storeFault }, { resolveDbPath }] = await Promise.all([import('@cryptotrace/adapters'), import('./context.js')]);
  return storeFault(err, resolveDbPath(dbFlag));
}
