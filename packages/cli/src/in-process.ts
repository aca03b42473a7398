import { safeText } from './output.js';

/** What one in-process command printed, and its exit code. */
export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Running ctrace commands in this process, exactly as the binary would parse them, with what they printed captured.
 * Replay, demo and export are made of the same commands a person types, so they test those commands, not a copy.
 * The program hands it to every command in its context (see cli.ts): a command never imports the program.
 */
export interface InProcess {
  run(argv: string[]): Promise<Captured>;
  /** The names of the commands this build of ctrace has (`cluster`, `trace`, ...). */
  commands(): Set<string>;
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
