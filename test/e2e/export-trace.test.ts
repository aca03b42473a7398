import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { writeTraceReport } from '../../packages/cli/src/commands/export.js';
import { ctrace, tempDir } from '../support/cli.js';
import { hasShared, needs } from '../support/shared.js';
import { BLOCK_170_TX, BTCD_BLOCKS, btcdStore } from './stores.js';

// The block-9 coinbase that funds block 170 (the early peel chain).
const COINBASE_9 = '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9';
const AS_OF = '2026-01-01T00:00:00.000Z';

let dir: string;
beforeAll(() => {
  dir = tempDir('ctrace-export-trace-');
});

describe.skipIf(!hasShared(BTCD_BLOCKS))(needs(BTCD_BLOCKS, 'one step: a trace and its report from one run'), () => {
  let db: string;
  beforeAll(() => {
    db = btcdStore(dir);
  });

  test('--json export html --trace prints the summary with the trace, the same as ctrace --json trace', () => {
    const out = join(dir, 'one-step.html');
    const r = ctrace(['--db', db, '--json', 'export', 'html', '--trace', COINBASE_9, '--policy', 'haircut', '--hops', '4', '--as-of', AS_OF, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { format: string; kind: string; nodes: number; edges: number; evidence: number; trace: { asOf: string; flow: { txid: string }[] } };
    expect(summary).toMatchObject({ format: 'html', kind: 'trace', path: out });
    const trace = ctrace(['--db', db, '--json', 'trace', COINBASE_9, '--policy', 'haircut', '--hops', '4', '--as-of', AS_OF]);
    expect(trace.code, trace.stderr).toBe(0);
    expect(summary.trace).toEqual(JSON.parse(trace.stdout));
    expect(summary.trace.asOf).toBe(AS_OF);
    expect(summary.trace.flow.map((f) => f.txid)).toContain(BLOCK_170_TX);
    expect(summary.evidence).toBe(summary.trace.flow.length);

    // Without --json: the one-line summary, no trace; the same --as-of gives the same file, byte for byte.
    const again = join(dir, 'again.html');
    const plain = ctrace(['--db', db, 'export', 'html', '--trace', COINBASE_9, '--policy', 'haircut', '--hops', '4', '--as-of', AS_OF, '-o', again]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^wrote html of \d+ nodes/);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
    expect(readFileSync(out, 'utf8')).toContain(AS_OF);

    // Another analysis time is another report.
    const later = join(dir, 'later.html');
    expect(ctrace(['--db', db, 'export', 'html', '--trace', COINBASE_9, '--policy', 'haircut', '--hops', '4', '--as-of', '2026-06-01T00:00:00.000Z', '-o', later]).code).toBe(0);
    expect(readFileSync(later, 'utf8')).not.toBe(readFileSync(out, 'utf8'));
  });

  test('ctrace trace --report writes the file export html --trace writes, from the same walk, and prints the same trace', () => {
    const trace = ctrace(['--db', db, '--json', 'trace', COINBASE_9, '--policy', 'fifo', '--hops', '3', '--as-of', AS_OF]);
    expect(trace.code, trace.stderr).toBe(0);
    const exported = join(dir, 'exported.html');
    expect(ctrace(['--db', db, 'export', 'html', '--trace', COINBASE_9, '--policy', 'fifo', '--hops', '3', '--as-of', AS_OF, '-o', exported]).code).toBe(0);
    const written = join(dir, 'written.html');
    const both = ctrace(['--db', db, '--json', 'trace', COINBASE_9, '--policy', 'fifo', '--hops', '3', '--as-of', AS_OF, '--report', written]);
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout).toBe(trace.stdout);
    expect(readFileSync(written, 'utf8')).toBe(readFileSync(exported, 'utf8'));
    expect(both.stderr).toContain(`wrote the report (`);
    expect(both.stderr).toContain(`to ${written}\n`);
    // The library call behind it, for a trace already in hand.
    let err = '';
    writeTraceReport({ cwd: dir, db, json: false, io: { out: () => {}, err: (t) => void (err += t), isTTY: false } }, JSON.parse(trace.stdout), 'again.html');
    expect(readFileSync(join(dir, 'again.html'), 'utf8')).toBe(readFileSync(exported, 'utf8'));
    expect(err).toMatch(/^wrote the report \(\d+ nodes, \d+ edges\) to /);
  });

  test('bad input: --as-of without --trace is one line and exit 2', () => {
    const r = ctrace(['--db', db, 'export', 'dot', BLOCK_170_TX, '--as-of', AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ctrace: --as-of goes with --trace\n');
  });
});
