import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../deps.js';

const CLI = join(ROOT, 'packages/cli/dist/main.js');

/** Run a command under GNU time: its wall seconds and peak RSS (KB), as the user would see them. */
function timedCommand(args: string[]): { seconds: number; maxRssKb: number; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const last = r.stderr.trim().split('\n').pop()!.split(' ');
  return { seconds: Number(last[0]), maxRssKb: Number(last[1]), stdout: r.stdout };
}

/**
 * The interactive case, cold, through the built binary as an investigator runs it: `ctrace trace` of a market
 * address over a 10^4-transaction store, then `ctrace export html --trace` of the same, its report (the headline,
 * two starts and two walks, comparable with earlier records); and the one-step form, `ctrace --json trace
 * --report`, which prints the trace and writes its report from one start and one walk.
 */
export async function traceReportCase(params: { store: string; seed: string }): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-bench-'));
  try {
    const trace = timedCommand([process.execPath, CLI, '--db', params.store, '--json', 'trace', params.seed, '--policy', 'haircut']);
    const html = join(dir, 'report.html');
    const report = timedCommand([process.execPath, CLI, '--db', params.store, 'export', 'html', '--trace', params.seed, '--policy', 'haircut', '-o', html]);
    const flow = (JSON.parse(trace.stdout) as { flow: unknown[] }).flow.length;
    const oneStep = timedCommand([process.execPath, CLI, '--db', params.store, '--json', 'trace', params.seed, '--policy', 'haircut', '--report', join(dir, 'one-step.html')]);
    const oneStepFlow = (JSON.parse(oneStep.stdout) as { flow: unknown[] }).flow.length;
    if (oneStepFlow !== flow) throw new Error(`the one-step trace has ${oneStepFlow} tainted outputs, ctrace trace ${flow}`);
    const seconds = trace.seconds + report.seconds;
    const node = timedCommand([process.execPath, '-e', '']);
    return {
      seconds,
      traceSeconds: trace.seconds,
      reportSeconds: report.seconds,
      oneStepSeconds: oneStep.seconds,
      perSecond: 1 / seconds,
      taintedOutputs: flow,
      reportKb: Math.round(statSync(html).size / 1024),
      nodeStartSeconds: node.seconds,
      // GNU time's peak RSS of the larger of the two commands (this process only waits).
      childMaxRssMb: Math.max(trace.maxRssKb, report.maxRssKb) / 1024,
      oneStepMaxRssMb: oneStep.maxRssKb / 1024,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
