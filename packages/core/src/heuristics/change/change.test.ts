import { describe, expect, test } from 'vitest';
import type { UtxoTransaction } from '../../model/utxo.js';
import { makeTx, type TxSpec } from '../cluster/test-tx.js';
import { CHANGE_RULES, combineChange, defaultParams, jointMiss } from './combine-change.js';
import { classifyHolder, holderScriptType } from './holder-type.js';
import { txFeatures } from './tx-features.js';
import type { ChangeContext } from './verdict.js';

const P2PKH_A = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const P2PKH_B = '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2';
const P2SH = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
const P2WPKH = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

const spender = (spec: TxSpec) => makeTx({ ins: [['x', 1]], outs: [['y', 1]], ...spec });
const spentBy = (...txs: (UtxoTransaction | null)[]): ChangeContext => ({ spenderOf: (n) => (txs[n] ? txFeatures(txs[n]) : null) });

type Case = { rule: string; title: string; tx: TxSpec; ctx?: ChangeContext; expected: number[] | null };

const valid: Case[] = [
  { rule: 'optimal-change', title: 'the output below the smallest input', tx: { ins: [['a', 50_000], ['b', 40_000]], outs: [['p', 60_000], ['c', 29_000]] }, expected: [1] },
  { rule: 'address-type', title: 'P2PKH inputs, outputs P2SH and P2PKH', tx: { ins: [[P2PKH_A, 9000]], outs: [[P2SH, 5000], [P2PKH_B, 3000]] }, expected: [1] },
  { rule: 'fresh-address', title: 'only output 0 is new', tx: { ins: [['a', 9000]], outs: [['n', 5000], ['old', 3000]] }, ctx: { isFresh: (n) => n === 0 }, expected: [0] },
  { rule: 'round-value', title: 'payment of 0.01 BTC is round', tx: { ins: [['a', 2_345_678]], outs: [['p', 1_000_000], ['c', 1_335_678]] }, expected: [1] },
  { rule: 'address-reuse', title: 'change back to the sender', tx: { ins: [['a', 9000]], outs: [['p', 5000], ['a', 3000]] }, expected: [1] },
  { rule: 'locktime-fingerprint', title: 'only output 1 is spent with a zero locktime like this one', tx: { ins: [['a', 9000]], outs: [['p', 5000], ['c', 3000]] }, ctx: spentBy(spender({ locktime: 700_000 }), spender({ locktime: 0 })), expected: [1] },
  { rule: 'version-fingerprint', title: 'output 0 spent by version 1 like this one, output 1 by version 2', tx: { ins: [['a', 9000]], outs: [['c', 5000], ['p', 3000]] }, ctx: spentBy(spender({ version: 1 }), spender({ version: 2 })), expected: [0] },
  { rule: 'rbf-fingerprint', title: 'this one signals RBF, output 1 spender does not', tx: { ins: [['a', 9000]], outs: [['c', 5000], ['p', 3000]], sequence: 0xfffffffd }, ctx: spentBy(spender({ sequence: 0xfffffffd }), spender({})), expected: [0] },
  { rule: 'segwit-fingerprint', title: 'segwit here and in output 0 spender only', tx: { ins: [['a', 9000]], outs: [['c', 5000], ['p', 3000]], size: 222, vsize: 141 }, ctx: spentBy(spender({ size: 222, vsize: 141 }), spender({ size: 191, vsize: 191 })), expected: [0] },
  { rule: 'multisig-fingerprint', title: 'P2SH input here and in output 1 spender only', tx: { ins: [[P2SH, 9000]], outs: [['p', 5000], [P2SH, 3000]] }, ctx: spentBy(spender({ ins: [[P2PKH_A, 1]] }), spender({ ins: [[P2SH, 1]] })), expected: [1] },
];

const invalid: Case[] = [
  { rule: 'optimal-change', title: 'an unresolved input', tx: { ins: [['a', 50_000], [null, 0]], outs: [['p', 60_000], ['c', 29_000]] }, expected: null },
  { rule: 'optimal-change', title: 'a coinbase', tx: { coinbase: true, outs: [['p', 60_000], ['c', 29_000]] }, expected: null },
  { rule: 'optimal-change', title: 'a single output', tx: { ins: [['a', 50_000]], outs: [['p', 49_000]] }, expected: null },
  { rule: 'address-type', title: 'mixed input types', tx: { ins: [[P2PKH_A, 1], [P2WPKH, 1]], outs: [[P2SH, 1], [P2PKH_B, 1]] }, expected: null },
  { rule: 'fresh-address', title: 'freshness unknown', tx: { ins: [['a', 9000]], outs: [['n', 5000], ['o', 3000]] }, expected: null },
  { rule: 'address-reuse', title: 'no output pays an input holder', tx: { ins: [['a', 9000]], outs: [['p', 5000], ['c', 3000]] }, expected: null },
  { rule: 'locktime-fingerprint', title: 'no output spent yet', tx: { ins: [['a', 9000]], outs: [['p', 5000], ['c', 3000]] }, ctx: spentBy(null, null), expected: null },
  { rule: 'version-fingerprint', title: 'no spender lookup', tx: { ins: [['a', 9000]], outs: [['p', 5000], ['c', 3000]] }, expected: null },
];

describe('change rules (heuristics.md §2)', () => {
  test.each(valid)('default: $rule keeps $expected: $title', ({ rule, tx, ctx, expected }) => {
    const t = makeTx(tx);
    const v = CHANGE_RULES[rule](t, ctx ?? {})!;
    expect(v.candidates).toEqual(expected);
    expect(v.evidence).toMatchObject({ rule, version: 1, txid: t.txid, outputIndex: expected![0], chain: 'bitcoin' });
  });
  test.each(invalid)('behavior: $rule has no verdict on $title', ({ rule, tx, ctx }) => {
    expect(CHANGE_RULES[rule](makeTx(tx), ctx ?? {})).toBeNull();
  });
  test('behavior: OP_RETURN is never a candidate', () => {
    const v = CHANGE_RULES['round-value'](makeTx({ ins: [['a', 99_999]], outs: [[null, 0], ['p', 50_000], ['c', 3333]] }), {})!;
    expect(v.candidates).toEqual([2]);
  });
  test('behavior: a non-unique verdict carries no evidence', () => {
    const v = CHANGE_RULES['round-value'](makeTx({ ins: [['a', 9999]], outs: [['p', 5001], ['c', 3333]] }), {})!;
    expect(v.candidates).toEqual([0, 1]);
    expect(v.evidence).toBeNull();
  });
  test('default: holderScriptType reads script types from address forms', () => {
    expect([P2PKH_A, P2SH, P2WPKH, 'p2pk:1x', 'script:ab', 'nonsense'].map((h) => holderScriptType('bitcoin', h))).toEqual(['p2pkh', 'p2sh', 'p2wpkh', 'p2pk', 'nonstandard', null]);
    // The uncached form a rebuild uses, once per stored address: the same answers.
    const fresh = ['bc1pmfr3p9j00pfxjh0zmgp99y8zftmd3s5pmedqhyptwy6lm87hf5sspknck9', 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3'];
    expect([P2PKH_A, P2SH, P2WPKH, 'p2pk:1x', 'script:ab', 'nonsense', ...fresh].map((h) => classifyHolder('bitcoin', h))).toEqual(['p2pkh', 'p2sh', 'p2wpkh', 'p2pk', 'nonstandard', null, 'p2tr', 'p2wsh']);
  });
});

describe('combineChange: consistent vote', () => {
  const ctx: ChangeContext = { isFresh: (n) => n === 1 };
  test('default: fresh and non-round agree on output 1', () => {
    const d = combineChange(makeTx({ ins: [['a', 2_345_678]], outs: [['p', 1_000_000], ['c', 1_335_678]] }), ctx)!;
    expect(d.outputIndex).toBe(1);
    expect(d.votes.map((v) => v.rule).sort()).toEqual(['fresh-address', 'round-value']);
    expect(d.confidence).toBeGreaterThan(0.999);
  });
  test('behavior: conflicting opinions give no pick', () => {
    expect(combineChange(makeTx({ ins: [['a', 2_345_678]], outs: [['p', 1_335_678], ['c', 1_000_000]] }), ctx)).toBeNull();
  });
  test('behavior: address reuse decides alone and is certain', () => {
    const d = combineChange(makeTx({ ins: [['a', 2_345_678]], outs: [['a', 1_000_000], ['c', 1_335_678]] }), ctx)!;
    expect(d).toMatchObject({ outputIndex: 0, confidence: 1 });
  });
  test('args: rules restricts the voters', () => {
    const d = combineChange(makeTx({ ins: [['a', 2_345_678]], outs: [['p', 1_000_000], ['c', 1_335_678]] }), ctx, { ...defaultParams, rules: ['optimal-change'] });
    expect(d).toBeNull();
  });
});

describe('jointMiss: the combined confidence (heuristics.md §2)', () => {
  const v = (rule: string, confidence: number) => ({ rule, confidence });
  test('default: the transaction\'s own rules are independent votes, each anchored at its real-chain precision', () => {
    expect(1 - jointMiss([v('address-type', 0.886)], defaultParams.fingerprintRedundancy)).toBeCloseTo(0.886, 12);
    expect(jointMiss([v('address-type', 0.886), v('round-value', 0.987)], defaultParams.fingerprintRedundancy)).toBeCloseTo(0.114 * 0.013, 12);
  });
  test('behavior: the fingerprints are one correlated vote: the most precise one, each further one × 0.72', () => {
    const votes = [v('address-type', 0.886), v('segwit-fingerprint', 0.892), v('multisig-fingerprint', 0.996), v('locktime-fingerprint', 0.988)];
    expect(jointMiss(votes, 0.72)).toBeCloseTo(0.114 * 0.004 * 0.72 * 0.72, 12);
    // 1 counts them once; 0 is the independent product (the combination before the re-derivation).
    expect(jointMiss(votes, 1)).toBeCloseTo(0.114 * 0.004, 12);
    expect(jointMiss(votes, 0)).toBeCloseTo(0.114 * 0.108 * 0.004 * 0.012, 12);
  });
  test('behavior: a further fingerprint never counts for less than an independent vote', () => {
    expect(jointMiss([v('optimal-change', 0.921), v('multisig-fingerprint', 0.996), v('segwit-fingerprint', 0.1)], 0.72)).toBeCloseTo(0.079 * 0.004 * 0.9, 12);
  });
  test('default: combineChange reports 1 − jointMiss of its votes', () => {
    const tx = makeTx({ ins: [['a', 2_345_678]], outs: [['p', 1_000_000], ['c', 1_335_678]] });
    const mine = txFeatures(tx);
    // Output 0 is spent by other software (another version and locktime habit), output 1 by this wallet.
    const other = { ...mine, version: mine.version + 1, locktimeZero: !mine.locktimeZero };
    const ctx: ChangeContext = { isFresh: (n) => n === 1, spenderOf: (n) => (n === 1 ? mine : other) };
    const d = combineChange(tx, ctx)!;
    expect(d.outputIndex).toBe(1);
    expect(d.confidence).toBeCloseTo(1 - jointMiss(d.votes, defaultParams.fingerprintRedundancy), 15);
    expect(d.votes.map((x) => x.rule).sort()).toEqual(['fresh-address', 'locktime-fingerprint', 'round-value', 'version-fingerprint']);
    expect(d.confidence).toBeCloseTo(1 - 0.04 * 0.013 * 0.012 * 0.72, 12);
  });
});

describe('what a caller already knows, through the context', () => {
  test('behavior: address-type reads the inputs\' types from ctx.inputType, fingerprints this transaction\'s features from ctx.features', () => {
    const tx = makeTx({ ins: [[P2PKH_A, 50_000]], outs: [[P2SH, 20_000], [P2WPKH, 29_000]] });
    // From the holders' forms the input is P2PKH: neither output shares its type, so no opinion.
    expect(CHANGE_RULES['address-type'](tx, {})).toMatchObject({ candidates: [] });
    // Told the input is P2WPKH, the P2WPKH output is kept.
    expect(CHANGE_RULES['address-type'](tx, { inputType: () => 'p2wpkh' })?.candidates).toEqual([1]);
    const spenderOf = (n: number) => (n === 0 ? { ...txFeatures(tx), version: 2 } : null);
    expect(CHANGE_RULES['version-fingerprint'](tx, { spenderOf })?.candidates).toEqual([1]);
    // This transaction's own version given as 2: output 0's spender now shares it.
    expect(CHANGE_RULES['version-fingerprint'](tx, { spenderOf, features: () => ({ ...txFeatures(tx), version: 2 }) })?.candidates).toEqual([0, 1]);
  });
});
