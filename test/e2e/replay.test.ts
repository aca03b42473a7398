import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ctrace, tempDir } from '../support/cli.js';
import { ROOT, SHARED, hasShared, needs } from '../support/shared.js';
import { BTCD_BLOCKS } from './stores.js';

const DARKNET = join(ROOT, 'fixtures/cases/darknet-market.yaml');
const PEEL = join(ROOT, 'fixtures/cases/peel-chain.yaml');
let dir: string;
beforeAll(() => {
  dir = tempDir('ctrace-replay-test-');
});

/** A copy of a case file with some text replaced, in the test's temp dir. */
function variant(from: string, name: string, edit: (text: string) => string): string {
  const path = join(dir, name);
  // The copy lives elsewhere: the peel-chain case's relative path to ../shared becomes absolute.
  writeFileSync(path, edit(readFileSync(from, 'utf8').replace('../../../shared/', `${SHARED}/`)));
  return path;
}

describe('ctrace replay on the built-in darknet-market case', () => {
  test('default: every step matches and it exits 0', () => {
    const r = ctrace(['replay', DARKNET]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('all 4 steps match');
    expect(r.code).toBe(0);
  });

  test('behavior: --json gives the same bytes on a second run', () => {
    const a = ctrace(['--json', 'replay', DARKNET]);
    const b = ctrace(['--json', 'replay', DARKNET]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const j = JSON.parse(a.stdout);
    expect(j.ok).toBe(true);
    expect(j.steps.map((s: { ok: boolean }) => s.ok)).toEqual([true, true, true, true]);
    expect(j.exposures).toEqual([{ address: 'bcrt1qry52e454ma79xjet3f63a4x52s3t6zqtf2pzky', exposure: '1.000000', tainted: '62923998' }]);
  });

  test('behavior: a changed expectation fails with exit 1 and a readable diff', () => {
    const path = variant(DARKNET, 'wrong.yaml', (t) => t.replace('size: 5', 'size: 6').replace('tainted: "21850000"', 'tainted: "21850001"'));
    const r = ctrace(['replay', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("FAIL the market's deposit addresses cluster by multi-input\n  $.size: expected 6, got 5\n");
    expect(r.stdout).toContain('  $.suspects[1].parts.tainted: expected "21850001", got "21850000"\n');
    expect(r.stdout).toContain('2 of 4 steps failed');
  });

  test('args: --fail-on exits 1 when a watched address passes the threshold, 0 when it does not', () => {
    const tripped = ctrace(['replay', DARKNET, '--fail-on', 'exposure>=50%']);
    expect(tripped.code).toBe(1);
    expect(tripped.stdout).toContain('fail-on exposure>=50%: bcrt1qry52e454ma79xjet3f63a4x52s3t6zqtf2pzky passes it');
    expect(ctrace(['replay', DARKNET, '--fail-on', 'tainted>62923998']).code).toBe(0);
    expect(ctrace(['replay', DARKNET, '--fail-on', 'tainted>=62923998']).code).toBe(1);
  });
});

describe.skipIf(!hasShared(BTCD_BLOCKS))(needs(BTCD_BLOCKS, 'ctrace replay on real blocks'), () => {
  test('default: the peel-chain case matches', () => {
    const r = ctrace(['replay', PEEL]);
    expect(r.stdout).toContain('all 4 steps match');
    expect(r.code).toBe(0);
  });
});

describe('error: bad cases exit 2 with one line', () => {
  // One line, saying `ctrace:` once (a step's own error line is quoted without its prefix).
  const one = (r: { stderr: string }) => {
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.match(/ctrace: /g)).toHaveLength(1);
  };
  // The last two replay real blocks: without ../shared they are left out (the peel-chain describe above says so).
  const bad: [string, () => string, RegExp][] = [
    ['a missing case file', () => join(dir, 'nope.yaml'), /^ctrace: cannot read case file .*nope.yaml \(no such file\): check the path/],
    ['a directory', () => { const d = join(dir, 'adir.yaml'); mkdirSync(d, { recursive: true }); return d; }, /is a directory: name a .yaml file/],
    ['invalid YAML', () => variant(DARKNET, 'broken.yaml', () => 'chain: [1\n'), /not valid YAML/],
    ['binary garbage', () => variant(DARKNET, 'garbage.yaml', () => '\u0000\u0001\u0002\u00ff'), /case file .*garbage.yaml: /],
    ['no steps', () => variant(DARKNET, 'nosteps.yaml', (t) => t.slice(0, t.indexOf('steps:'))), /steps must be a non-empty list/],
    ['an unknown step', () => variant(DARKNET, 'unknown.yaml', (t) => t.replace('    stats: []', '    teleport: []')), /step 1 must name exactly one of cluster, trace, suspects/],
    ['a command this ctrace does not have', () => variant(DARKNET, 'nocmd.yaml', (t) => t.replace('    stats: []', '    run: teleport now')), /step "the store holds the scenario": .*unknown command 'teleport'/],
    ['an unknown scenario', () => variant(DARKNET, 'noscenario.yaml', (t) => t.replace('scenario: darknet-market', 'scenario: bank-heist')), /scenario "bank-heist" could not be generated: .*unknown scenario/],
    ['a missing chain file', () => variant(PEEL, 'nofile.yaml', (t) => t.replace(/files: \[.*\]/, 'files: [missing-blocks.dat]')), /the chain could not be ingested: .*missing-blocks.dat/],
    ['a malformed address in a step (checksum)', () => variant(DARKNET, 'badaddr.yaml', (t) => t.replace('cluster: bcrt1qjscd6kep7c3khwxrff3w890ae7cwycr9mk7cmq', 'cluster: bcrt1qjscd6kep7c3khwxrff3w890ae7cwycr9mk7cmx')), /step "the market's deposit addresses cluster by multi-input": "bcrt1q.*(checksum|invalid)/i],
  ];
  if (hasShared(BTCD_BLOCKS)) bad.push(
    ['a malformed txid in a step', () => variant(PEEL, 'badtx.yaml', (t) => t.replace('show: tx f4184fc5', 'show: tx z4184fc5')), /step "the first person-to-person payment \(block 170\)": [^:]*z4184fc5/],
    ['an unknown chain in a step', () => variant(PEEL, 'badchain.yaml', (t) => t.replace('show: address 12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S', 'show: address 12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S --chain bitcoinz')), /unknown chain "bitcoinz"/],
  );
  test.each(bad)('%s', (_what, make, message) => {
    const r = ctrace(['replay', make()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    one(r);
  });

  test.each([
    [['--fail-on', 'exposure>=2'], /an exposure is a share between 0 and 1/],
    [['--fail-on', 'exposure=0.5'], /is not a threshold: write exposure>=0.1/],
    [['--fail-on', 'tainted>=1.5'], /tainted takes a whole number of base units/],
  ])('args: %j', (args, message) => {
    const r = ctrace(['replay', DARKNET, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    one(r);
  });

  test('--fail-on without watched addresses', () => {
    const r = ctrace(['replay', variant(DARKNET, 'nowatch.yaml', (t) => t.replace(/watch:\n.*\n/, '')), '--fail-on', 'exposure>=0.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fail-on needs watched addresses: add "watch: \[<address>, ...\]"/);
  });
});
