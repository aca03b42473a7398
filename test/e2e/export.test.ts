import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ctrace, tempDir } from '../support/cli.js';
import { hasShared, needs } from '../support/shared.js';
import { BLOCK_170_TX, BTCD_BLOCKS, EVM, HOSTILE, PEEL_SENDER, btcdStore, hostileEvmStore } from './stores.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('ctrace-export-');
});

describe.skipIf(!hasShared(BTCD_BLOCKS))(needs(BTCD_BLOCKS, 'ctrace export on the early peel chain'), () => {
  let db: string;
  beforeAll(() => {
    db = btcdStore(dir);
  });

  test('default: GEXF, GraphML and DOT hold the same nodes and edges, byte-identical on a second run', () => {
    const counts: Record<string, { nodes: number; edges: number }> = {};
    for (const format of ['gexf', 'graphml', 'dot', 'html']) {
      const out = join(dir, `peel.${format}`);
      const r = ctrace(['--db', db, '--json', 'export', format, PEEL_SENDER, '--hops', '3', '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      counts[format] = JSON.parse(r.stdout);
      const again = ctrace(['--db', db, 'export', format, PEEL_SENDER, '--hops', '3']);
      expect(again.stdout).toBe(readFileSync(out, 'utf8'));
    }
    expect(new Set(Object.values(counts).map((c) => `${c.nodes}/${c.edges}`)).size).toBe(1);
    const gexf = readFileSync(join(dir, 'peel.gexf'), 'utf8');
    expect(gexf).toContain('<gexf');
    expect(gexf.match(/<node /g)?.length).toBe(counts.gexf.nodes);
    expect(gexf.match(/<edge /g)?.length).toBe(counts.gexf.edges);
    const graphml = readFileSync(join(dir, 'peel.graphml'), 'utf8');
    expect(graphml.match(/<node /g)?.length).toBe(counts.gexf.nodes);
    // Exact base units on every edge, coin units beside them.
    expect(graphml).toContain(`<edge id="`);
    expect(graphml).toMatch(new RegExp(`source="${BLOCK_170_TX}" target="p2pk:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3">\\n\\s*<data key="e_value">1000000000</data>`));
    const dot = readFileSync(join(dir, 'peel.dot'), 'utf8');
    expect(dot).toContain(`"${BLOCK_170_TX}" -> "p2pk:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3" [label="10 BTC"`);
  });

  test('args: --direction in walks back to the coinbase that funded the sender', () => {
    const r = ctrace(['--db', db, 'export', 'dot', BLOCK_170_TX, '--direction', 'in', '--hops', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"coinbase:0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9"');
  });

  test('args: --trace draws ctrace trace: the taint each hop carried, on the edges', () => {
    const r = ctrace(['--db', db, 'export', 'dot', '--trace', '0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9', '--policy', 'fifo', '--hops', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('digraph "fifo trace from 0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9" {');
    // Block 170 pays 10 BTC of the block-9 coinbase to Hal Finney's key and 40 back (the peel chain's first hop).
    expect(r.stdout).toContain(`"p2pk:${PEEL_SENDER}" -> "p2pk:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3" [label="10 BTC", tooltip="${BLOCK_170_TX}"];`);
    expect(r.stdout).toContain(`"p2pk:${PEEL_SENDER}" -> "p2pk:${PEEL_SENDER}" [label="40 BTC", tooltip="${BLOCK_170_TX}"];`);
    expect(r.stdout).toContain('[label="10 BTC", tooltip="a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be"]');
  });

  test.each([
    [['--trace', BLOCK_170_TX, '--direction', 'both'], /--trace follows one direction: use --direction out or in/],
    [[PEEL_SENDER, '--policy', 'fifo'], /--policy goes with --trace/],
    [['--trace', BLOCK_170_TX, PEEL_SENDER], /--trace takes its own target: drop /],
    [[], /name addresses or transactions to export, or use --trace <target> or --cluster <address>/],
  ])('error: export html %j exits 2', (args, message) => {
    const r = ctrace(['--db', db, 'export', 'html', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test('behavior: --max-nodes stops the walk and says so on stderr', () => {
    const r = ctrace(['--db', db, '--json', 'export', 'gexf', PEEL_SENDER, '--hops', '9', '--max-nodes', '4', '-o', join(dir, 'small.gexf')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).truncated).toBe(true);
    expect(r.stderr).toMatch(/^note: stopped at 4 nodes before 9 hops; raise --max-nodes or lower --hops/);
  });

  test.each([
    [['export', 'svg', PEEL_SENDER], 2, /unknown export format "svg": use one of html, gexf, graphml, dot/],
    [['export', 'html', PEEL_SENDER, '--chain', 'dogecoinz'], 2, /unknown chain "dogecoinz"/],
    [['export', 'html', '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3T'], 2, /checksum|invalid/i],
    [['export', 'html', `${BLOCK_170_TX.slice(0, 63)}x`], 2, /.+/],
    [['export', 'html', PEEL_SENDER, '--hops', 'two'], 2, /--hops must be a whole number >= 1, not "two"/],
    [['export', 'html', PEEL_SENDER, '--direction', 'sideways'], 2, /sideways/],
    [['export', 'html', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT'], 1, /has no transactions in .*: ingest or fetch them first/],
    [['export', 'html', PEEL_SENDER, '-o', '/nonexistent-dir/x.html'], 2, /cannot write \/nonexistent-dir\/x.html \(ENOENT\): check the directory exists/],
  ])('error: %j exits %i with one line', (args, code, message) => {
    const r = ctrace(['--db', db, ...args]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('ctrace export --cluster on the darknet-market scenario', () => {
  test('default: the market cluster with the multi-input evidence linking its addresses', () => {
    const chain = join(dir, 'dm');
    expect(ctrace(['generate', 'darknet-market', '--txs', '400', '--seed', '7', '--out', chain]).code).toBe(0);
    const db = join(dir, 'dm.db');
    expect(ctrace(['--db', db, 'ingest', join(chain, 'blk00000.dat'), '--chain', 'bitcoin-regtest']).code).toBe(0);
    const r = ctrace(['--db', db, '--json', 'export', 'graphml', '--cluster', 'bcrt1qjscd6kep7c3khwxrff3w890ae7cwycr9mk7cmq', '-o', join(dir, 'market.graphml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'cluster', chain: 'bitcoin-regtest', nodes: 5, edges: 4, evidence: 4 });
    const graphml = readFileSync(join(dir, 'market.graphml'), 'utf8');
    expect(graphml.match(/<data key="e_amount">multi-input \(1\)<\/data>/g)).toHaveLength(4);
  });
});

describe('error: stores that cannot be exported from', () => {
  test('a file that is not a cryptotrace store exits 4 with one line', () => {
    const fake = join(dir, 'notes.db');
    writeFileSync(fake, 'these are my notes, not a database\n'.repeat(200));
    const r = ctrace(['--db', fake, 'export', 'html', PEEL_SENDER]);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a missing store exits 4 and creates nothing', () => {
    const r = ctrace(['--db', join(dir, 'missing.db'), 'export', 'gexf', PEEL_SENDER]);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('behavior: untrusted text in terminal output and in the graph files', () => {
  test('an ANSI escape in a label is stripped from the terminal; markup is escaped in GEXF, GraphML and DOT', () => {
    const db = hostileEvmStore(dir);
    const r = ctrace(['--db', db, 'export', 'gexf', EVM.payer, '-o', join(dir, 'h.gexf')]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('scam: CLEARED (test-labels.csv)');
    expect(r.stdout).toContain('market: "><img src=x onerror=');
    const gexf = readFileSync(join(dir, 'h.gexf'), 'utf8');
    expect(gexf).not.toContain('\u001b');
    expect(gexf).not.toContain('<img');
    expect(gexf).toContain('&lt;img src=x');
    const graphml = ctrace(['--db', db, 'export', 'graphml', EVM.payer]).stdout;
    expect(graphml).toContain('<data key="e_amount">2.5 EVIL&lt;b&gt;</data>');
    expect(graphml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const dot = ctrace(['--db', db, 'export', 'dot', EVM.payer]).stdout;
    expect(dot).toContain('[label="market: \\"><img src=x onerro… (0x000000…000B0b)"');
    expect(dot).toContain('[label="scam: CLEARED (test-labels.… (0x000000…00cafE)"');
    expect(dot).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(HOSTILE.tokenName).toContain('<script>');
  });
});
