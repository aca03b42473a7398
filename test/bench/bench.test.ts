import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/shared.js';

// The harness at its tiny size (2,000 transactions), through the built packages as `pnpm bench` runs it
// (`pnpm build` first). Only the shape of what it writes is checked: speed is never asserted in tests.
describe('pnpm bench --tiny', () => {
  const out = mkdtempSync(join(tmpdir(), 'ctrace-bench-test-'));
  let results: {
    version: number;
    mode: string;
    sizes: number[];
    machine: { nproc: number; cpu: string; memTotalGb: number };
    load: { start: number[]; end: number[] };
    rows: {
      id: string;
      stage: string;
      status: string;
      ratio: number | null;
      subject: { value: number; unit: string; maxRssMb: number; load: number[] } | null;
      reference: { value: number; unit: string } | null;
      note?: string;
    }[];
    growth: unknown[];
  };
  let markdown: string;

  beforeAll(() => {
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'bench')], { cwd: ROOT });
    execFileSync(process.execPath, [join(ROOT, 'bench/dist/run.js'), '--tiny', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, BENCH_CACHE: join(out, 'cache') },
      stdio: 'pipe',
      timeout: 580_000,
    });
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    markdown = readFileSync(join(out, 'results.md'), 'utf8');
  }, 600_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('default: results.json names the machine, the load and every case of the issue', () => {
    expect(results).toMatchObject({ version: 1, mode: 'tiny', sizes: [2000] });
    expect(results.machine.nproc).toBeGreaterThan(0);
    expect(results.machine.cpu).not.toBe('');
    expect(results.load.start).toHaveLength(3);
    const stages = new Set(results.rows.map((r) => r.stage));
    for (const s of ['ingest', 'parse', 'cluster', 'cluster-multi-input', 'cluster-all-rules', 'cluster-vs-written', 'cluster-update', 'taint-haircut', 'taint-fifo', 'trace-report', 'fetch']) expect(stages).toContain(s);
  });

  it('behavior: every measured figure comes with its reference, the ratio of the two and its own peak memory', () => {
    for (const r of results.rows) {
      expect(['ok', 'below target', 'not yet available', 'skipped'], `${r.id}: ${r.note}`).toContain(r.status);
      if (r.status === 'not yet available' || r.status === 'skipped') continue;
      expect(r.subject!.value).toBeGreaterThan(0);
      expect(r.reference!.value).toBeGreaterThan(0);
      expect(r.ratio).toBeGreaterThan(0);
      expect(r.subject!.maxRssMb).toBeGreaterThan(0);
      expect(r.subject!.load).toHaveLength(2);
    }
  });

  it('behavior: the written reference writes a link per union of the bare one, over the same pairs', () => {
    const bare = results.rows.find((r) => r.id === 'cluster-2000')!.note!;
    const written = results.rows.find((r) => r.id === 'cluster-multi-input-vs-written-2000')!;
    const unions = /reference: [\d,]+ pairs, ([\d,]+) unions/.exec(bare)![1];
    expect(written.note).toContain(`links written by ours, ${unions} by the reference`);
  });

  it('behavior: a small case is the median of five runs of each side, with the range of their times', () => {
    for (const id of ['ingest-2000', 'parse-generated-2000', 'cluster-2000']) {
      expect(results.rows.find((r) => r.id === id)!.note).toMatch(/median of 5 runs ours \d+\.\d\d-\d+\.\d\d s; 5 runs reference \d+\.\d\d-\d+\.\d\d s$/);
    }
  });

  it('behavior: the markdown table has a row per case', () => {
    expect(markdown).toContain('| case | size | ours | reference | ratio |');
    for (const r of results.rows) expect(markdown).toContain(`| ${r.id} |`);
  });
});

describe('pnpm bench arguments', () => {
  const run = (...args: string[]) => {
    try {
      execFileSync(process.execPath, [join(ROOT, 'bench/dist/run.js'), ...args], { cwd: ROOT, stdio: 'pipe', timeout: 60_000 });
      return { status: 0, stderr: '' };
    } catch (err) {
      const e = err as { status: number; stderr: Buffer };
      return { status: e.status, stderr: e.stderr.toString() };
    }
  };

  it('error: a mistyped flag or stage is one line and exit 2, before anything runs', () => {
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'bench')], { cwd: ROOT });
    expect(run('--sise', '10000')).toEqual({ status: 2, stderr: 'bench: unknown argument --sise; see pnpm bench --help\n' });
    expect(run('--repeat', '0')).toEqual({ status: 2, stderr: 'bench: --repeat takes a whole number of runs, at least 1 (got 0)\n' });
    expect(run('--only')).toEqual({ status: 2, stderr: 'bench: --only needs a value; see pnpm bench --help\n' });
    const r = run('--tiny', '--only', 'clusters', '--out', mkdtempSync(join(tmpdir(), 'ctrace-bench-args-')));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no stage clusters; stages: ingest, ingest-vs-schema, parse, cluster,/);
  });
});

// The before → after column: each row compares with the newest earlier record holding it, numbered when there are
// several; a case that did not finish then says so.
describe('bench report: before records', () => {
  it('behavior: a row names the record it compares with, and a case that failed before shows what happened', async () => {
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'bench')], { cwd: ROOT });
    const { renderMarkdown } = (await import(join(ROOT, 'bench/dist/report.js'))) as { renderMarkdown: (r: unknown) => string };
    const side = (value: number, seconds: number) => ({ label: 'x', value, unit: 'tx/s', seconds, maxRssMb: 100, load: [0, 0], details: { cpuSeconds: seconds } });
    const row = (id: string, value: number) => ({ id, stage: id.replace(/-\d+$/, ''), size: 1000, subject: side(value, 1000 / value), reference: side(2 * value, 500 / value), ratio: 0.5, target: null, status: 'ok' });
    const record = (commit: string, rows: Record<string, unknown>) => ({ measuredAt: '2026-01-01T00:00:00.000Z', commit, load: [0, 0, 0], note: `run ${commit}`, rows });
    const md = renderMarkdown({
      version: 1, startedAt: 'now', finishedAt: 'now', mode: 'tiny', sizes: [1000], commit: 'c',
      machine: { nproc: 2, cpu: 'cpu', memTotalGb: 1, memAvailableGb: 1, node: 'v20', platform: 'linux' }, load: { start: [0, 0, 0], end: [0, 0, 0] },
      rows: [row('ingest-1000', 400), row('taint-1000', 50)], growth: [],
      before: [
        record('aaa', { 'ingest-1000': { value: 100, unit: 'tx/s', seconds: 10, maxRssMb: 1, ratio: 0.1 }, 'taint-1000': { value: 1, unit: 'tx/s', seconds: 1000, maxRssMb: 1, ratio: 0.01 } }),
        record('bbb', { 'taint-1000': { value: 0, unit: 'tx/s', seconds: null, maxRssMb: 0, ratio: null, failed: 'did not finish' } }),
      ],
    });
    expect(md).toMatch(/\| ingest-1000 \|.*100 → 400 tx\/s \(×4\.00.*\[1\]/);
    expect(md).toMatch(/\| taint-1000 \|.*did not finish → 20\.0 s \[2\]/);
    expect(md).toContain('[1] "before" figures: run aaa');
    expect(md).toContain('[2] "before" figures: run bbb');
  });

  it('behavior: growth is fitted per stage over its sizes, leaving out rows whose case is not the same work at each size', async () => {
    const { growthOf } = (await import(join(ROOT, 'bench/dist/growth.js'))) as { growthOf: (rows: unknown[]) => { stage: string; timeExponents: number[] }[] };
    const row = (stage: string, size: number, seconds: number, growth?: boolean) => ({
      id: `${stage}-${size}`, stage, size, subject: { value: 1, unit: 'tx/s', seconds, maxRssMb: 100, load: [0, 0], details: {} }, reference: null, ratio: 1, target: null, status: 'ok', ...(growth === undefined ? {} : { growth }),
    });
    const g = growthOf([row('ingest', 1000, 1), row('ingest', 10000, 10), row('taint-haircut', 1000, 1, false), row('taint-haircut', 10000, 1000, false)]);
    expect(g.map((x) => [x.stage, x.timeExponents])).toEqual([['ingest', [1]]]);
  });

  it('an ingest that fails leaves no kept store for a later run to reuse (it writes under another name until done)', async () => {
    const { ingestCase } = (await import(join(ROOT, 'bench/dist/cases/ingest.js'))) as { ingestCase: (p: { blks: string[]; keep?: string }) => Promise<unknown> };
    const dir = mkdtempSync(join(tmpdir(), 'ctrace-bench-keep-'));
    try {
      const keep = join(dir, 'case.db');
      writeFileSync(keep, 'a store of an earlier run');
      writeFileSync(join(dir, 'torn.dat'), Buffer.from('f9beb4d9ffff0000', 'hex'));
      await expect(ingestCase({ blks: [join(dir, 'torn.dat')], keep })).rejects.toThrow();
      expect(existsSync(keep)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
