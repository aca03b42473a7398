import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

/** What a case process reported: its figures plus maxRssMb and load. */
export type Figures = Record<string, unknown> & { seconds?: number; maxRssMb: number; load: [number, number] };

/** How long one case process may run (BENCH_CASE_TIMEOUT seconds; default 15 minutes) before it is stopped and reported. */
const CASE_TIMEOUT_MS = Number(process.env.BENCH_CASE_TIMEOUT ?? 900) * 1000;

/**
 * Run one case in a fresh Node process and return what it reported.
 * @throws Error with the child's stderr when it fails, or saying it did not finish in time
 */
export function runCase(name: string, params: unknown, timeoutMs = CASE_TIMEOUT_MS): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify({ name, params })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as Figures);
      else if (timedOut) reject(new Error(`case ${name} did not finish within ${timeoutMs / 1000} s (BENCH_CASE_TIMEOUT) and was stopped`));
      else reject(new Error(`case ${name} failed (${signal ?? `exit ${code}`}): ${err.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}
