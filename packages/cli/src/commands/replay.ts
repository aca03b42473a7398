import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CtraceError } from '@cryptotrace/core';
import type { CommandContext } from '../context.js';
import { paint, safeText, toJson } from '../output.js';
import { labelsFromTruth } from './demo-scenario.js';
import { firstLine, parseOutput } from '../in-process.js';
import { type Exposure, type FailOn, findExposures, parseFailOn, passes } from './replay-fail-on.js';
import { type Mismatch, matchExpected, mismatchLine } from './replay-match.js';
import { type ReplayCase, readReplayCase } from './replay-case.js';

export interface ReplayOptions {
  failOn?: string[];
  keep?: boolean;
}

/** Build the case's store: generate or take the chain, ingest it, import the labels. Any failure is bad input (2). */
async function prepareStore(ctx: CommandContext, c: ReplayCase, dir: string, db: string): Promise<void> {
  let files: string[];
  let extra: string[] = [];
  let scenarioDir: string | null = null;
  let chain = 'bitcoin';
  if ('files' in c.chain) {
    files = c.chain.files;
    extra = [...(c.chain.format ? ['--format', c.chain.format] : []), ...(c.chain.chain ? ['--chain', c.chain.chain] : [])];
  } else {
    scenarioDir = join(dir, 'chain');
    const params = Object.entries(c.chain.params).flatMap(([k, v]) => [`--${k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`, String(v)]);
    const g = await ctx.inProcess.run(['generate', c.chain.scenario, '--seed', String(c.chain.seed), '--out', scenarioDir, ...params]);
    if (g.code !== 0) throw new CtraceError('USAGE', `case file ${c.path}: scenario "${c.chain.scenario}" could not be generated: ${firstLine(g.stderr) || `exit ${g.code}`}`);
    const manifest = JSON.parse(readFileSync(join(scenarioDir, 'manifest.json'), 'utf8')) as { chain: string; files: string[] };
    chain = manifest.chain;
    files = manifest.files.filter((f) => /(^|\/)blk\d+\.dat$/.test(f)).map((f) => join(scenarioDir as string, f));
    extra = ['--chain', chain];
  }
  const ingest = await ctx.inProcess.run(['--db', db, 'ingest', ...files, ...extra]);
  if (ingest.code !== 0) throw new CtraceError('INPUT_UNREADABLE', `case file ${c.path}: the chain could not be ingested: ${firstLine(ingest.stderr)}`);
  for (const entry of c.labels) {
    let file = entry;
    if (entry.startsWith('scenario:')) {
      if (!scenarioDir) throw new CtraceError('USAGE', `case file ${c.path}: labels "${entry}" needs chain.scenario`);
      const name = entry.slice('scenario:'.length);
      const made = name === 'truth-services' ? labelsFromTruth(scenarioDir, chain) : join(scenarioDir, name);
      if (!made) throw new CtraceError('USAGE', `case file ${c.path}: the scenario's truth names no services to label`);
      file = made;
    }
    const l = await ctx.inProcess.run(['--db', db, 'labels', 'import', file]);
    if (l.code !== 0) throw new CtraceError('INPUT_UNREADABLE', `case file ${c.path}: labels ${file} could not be imported: ${firstLine(l.stderr) || `exit ${l.code}`}`);
  }
}

interface StepResult {
  name: string;
  ok: boolean;
  exit: number;
  error: string | null;
  mismatches: Mismatch[];
}

/** `ctrace replay <case.yaml>`: replay a case and compare every step's JSON with what the case expects. */
export async function replay(ctx: CommandContext, file: string, opts: ReplayOptions): Promise<number> {
  const failOn: FailOn[] = (opts.failOn ?? []).map(parseFailOn);
  const c = readReplayCase(file, ctx.cwd);
  if (failOn.length && c.watch.length === 0) throw new CtraceError('USAGE', `--fail-on needs watched addresses: add "watch: [<address>, ...]" to ${c.path}`);
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-replay-'));
  const db = join(dir, 'case.db');
  try {
    await prepareStore(ctx, c, dir, db);
    const results: StepResult[] = [];
    const outputs: unknown[] = [];
    for (const step of c.steps) {
      const r = await ctx.inProcess.run(['--db', db, '--json', ...step.argv]);
      const json = parseOutput(r.stdout);
      if (r.code === 0) outputs.push(json);
      const mismatches = r.code === step.exit && step.expect !== undefined ? matchExpected(step.expect, json) : [];
      const wrongExit = r.code !== step.exit;
      const error = wrongExit ? `exit ${r.code}, expected ${step.exit}${r.stderr.trim() ? `: ${firstLine(r.stderr)}` : ''}` : null;
      results.push({ name: step.name, ok: !wrongExit && mismatches.length === 0, exit: r.code, error, mismatches });
      // Bad input in a step (a malformed address, an unknown option or command) is a bad case, not a failed expectation.
      if (r.code === 2 && step.exit !== 2) {
        throw new CtraceError('USAGE', `case file ${c.path}: step "${step.name}": ${firstLine(r.stderr)}`);
      }
    }
    const exposures = findExposures(outputs, c.watch);
    const tripped = failOn.flatMap((f) => exposures.filter((e) => passes(e, f)).map((e) => ({ failOn: f.text, address: e.address })));
    const ok = results.every((r) => r.ok);
    if (ctx.json) {
      ctx.io.out(toJson({ case: c.name, file: c.path, ok: ok && tripped.length === 0, steps: results, exposures: exposures.map(exposureJson), failOn: tripped, store: opts.keep ? db : null }));
    } else {
      ctx.io.out(report(c, results, exposures, tripped, opts.keep ? db : null));
    }
    return ok && tripped.length === 0 ? 0 : 1;
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

const exposureJson = (e: Exposure) => ({
  address: e.address,
  exposure: e.exposurePpm === null ? null : (Number(e.exposurePpm) / 1e6).toFixed(6),
  tainted: e.tainted === null ? null : e.tainted.toString(),
});

function report(c: ReplayCase, results: StepResult[], exposures: Exposure[], tripped: { failOn: string; address: string }[], kept: string | null): string {
  const lines = [`replay ${safeText(c.name)}`];
  for (const r of results) {
    lines.push(`${r.ok ? paint('green', 'ok  ') : paint('red', 'FAIL')} ${safeText(r.name)}`);
    if (r.error) lines.push(`  ${r.error}`);
    lines.push(...r.mismatches.slice(0, 20).map((m) => safeText(mismatchLine(m))));
    if (r.mismatches.length > 20) lines.push(`  ... and ${r.mismatches.length - 20} more differences`);
  }
  for (const e of exposures) {
    const j = exposureJson(e);
    lines.push(`watch ${safeText(e.address)}: exposure ${j.exposure ?? 'not reported'}, tainted ${j.tainted ?? 'not reported'}`);
  }
  for (const t of tripped) lines.push(paint('red', `fail-on ${t.failOn}: ${safeText(t.address)} passes it`));
  const failed = results.filter((r) => !r.ok).length;
  lines.push(failed || tripped.length ? paint('red', `${failed} of ${results.length} steps failed${tripped.length ? `, ${tripped.length} threshold(s) passed` : ''}`) : paint('green', `all ${results.length} steps match`));
  if (kept) lines.push(`store kept at ${kept}`);
  return `${lines.join('\n')}\n`;
}
