import { type ChildProcess, spawn } from 'node:child_process';
import { CLI, type CliResult } from './cli.js';
import { ROOT } from './shared.js';

/**
 * Run the built binary without blocking the test's event loop, for tests whose local servers must keep
 * answering while the CLI runs. `onSpawn` gets the child (to kill it mid-way); `uid`/`gid` run it as another user.
 */
export function ctraceAsync(args: string[], options: { env?: NodeJS.ProcessEnv; onSpawn?: (child: ChildProcess) => void; uid?: number; gid?: number } = {}): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], uid: options.uid, gid: options.gid });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
    options.onSpawn?.(child);
  });
}
