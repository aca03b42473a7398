import { type Io, configureOutput, outputSettings, safeText } from '../output.js';

/** What one in-process command printed, and its exit code. */
export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run one ctrace command in this process, exactly as the binary would parse it, and capture what it printed.
 * Replay and demo are made of the same commands a person types, so they test those commands, not a copy.
 */
export async function ctraceInProcess(argv: string[]): Promise<Captured> {
  const { run } = await import('../cli.js');
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

/**
 * What a command run in process said went wrong, for a message of its own: its error line (without the `ctrace: `
 * prefix the outer error line adds again), else the first line of its stderr; safe for a terminal.
 */
export function firstLine(text: string): string {
  const lines = text.trim().split('\n');
  const error = lines.find((l) => l.startsWith('ctrace: '));
  return safeText((error ?? lines[0] ?? '').replace(/^ctrace: /, ''));
}

/** The JSON a command printed, or null when it printed none. */
export function parseOutput(stdout: string): unknown {
  try {
    return stdout.trim() ? JSON.parse(stdout) : null;
  } catch {
    return stdout;
  }
}

/** The names of the commands this build of ctrace has (`cluster`, `trace`, ...). */
export async function availableCommands(): Promise<Set<string>> {
  const { buildProgram } = await import('../cli.js');
  const io: Io = { out() {}, err() {}, isTTY: false };
  return new Set(buildProgram(io, () => {}).commands.map((c) => c.name()));
}
