import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    for (const s of ['ingest', 'parse', 'cluster', 'cluster-update', 'taint-haircut', 'taint-fifo', 'trace-report', 'fetch']) expect(stages).toContain(s);
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

  it('behavior: the markdown table has a row per case', () => {
    expect(markdown).toContain('| case | size | ours | reference | ratio |');
    for (const r of results.rows) expect(markdown).toContain(`| ${r.id} |`);
  });
});
