import { txFeatures } from '../heuristics/change/tx-features.js';
import { holderScriptType } from '../heuristics/change/holder-type.js';
import { holderOf, type UtxoTransaction } from '../model/utxo.js';

/**
 * The statistics a realism report compares, each a distribution over named buckets. Counted per transaction
 * (coinbases left out: one per block in any chain, they say how blocks are cut, not how people pay) or per output
 * or input where the name says so.
 */
export const REALISM_STATISTICS = [
  'inputs-per-tx', 'outputs-per-tx', 'two-output-txs', 'input-script-types', 'output-script-types', 'output-values',
  'round-outputs', 'locktime', 'version', 'rbf', 'segwit', 'address-reuse',
] as const;
export type RealismStatisticName = (typeof REALISM_STATISTICS)[number];

/** What each statistic counts, for a report's reader. */
export const REALISM_STATISTIC_UNITS: Record<RealismStatisticName, string> = {
  'inputs-per-tx': 'transactions by number of inputs',
  'outputs-per-tx': 'transactions by number of outputs (OP_RETURN included)',
  'two-output-txs': 'transactions with exactly two spendable outputs',
  'input-script-types': 'inputs by the script type they spend (unknown: P2PK, bare multisig, taproot or not derived)',
  'output-script-types': 'outputs by script type',
  'output-values': 'spendable outputs by value, log10 buckets of satoshi',
  'round-outputs': 'spendable outputs by the largest power of ten (10^3 to 10^8 sat) the value is a multiple of',
  'locktime': 'transactions by nLockTime: zero, a block height, or a time',
  'version': 'transactions by nVersion',
  'rbf': 'transactions signalling replace-by-fee (an input with sequence < 0xfffffffe)',
  'segwit': 'transactions carrying witness data or spending native segwit outputs',
  'address-reuse': 'spendable outputs paying an address already seen in the same block (as an output or input)',
};

/** Counts per bucket, for every statistic. */
export type RealismCounts = Record<RealismStatisticName, Map<string, number>>;

/** A running tally of the statistics over a stream of transactions in block order. Memory: one block's addresses. */
export interface RealismTally {
  add(tx: UtxoTransaction): void;
  /** Transactions counted (coinbases excluded). */
  readonly transactions: number;
  counts(): RealismCounts;
}

const SIZE_BUCKETS = ['1', '2', '3', '4', '5-9', '10+'];
const VALUE_BUCKETS = ['<1e3', '1e3', '1e4', '1e5', '1e6', '1e7', '1e8', '>=1e9'];
const ROUND_BUCKETS = ['none', '1e3', '1e4', '1e5', '1e6', '1e7', '1e8'];

/** Every bucket of a statistic in report order; buckets not listed (script types) follow sorted. */
export const REALISM_BUCKETS: Partial<Record<RealismStatisticName, readonly string[]>> = {
  'inputs-per-tx': SIZE_BUCKETS,
  'outputs-per-tx': SIZE_BUCKETS,
  'two-output-txs': ['no', 'yes'],
  'output-values': VALUE_BUCKETS,
  'round-outputs': ROUND_BUCKETS,
  locktime: ['zero', 'height', 'time'],
  version: ['1', '2', 'other'],
  rbf: ['no', 'yes'],
  segwit: ['no', 'yes'],
  'address-reuse': ['no', 'yes'],
};

function sizeBucket(n: number): string {
  return n <= 4 ? String(n) : n < 10 ? '5-9' : '10+';
}

function valueBucket(v: bigint): string {
  let k = 0;
  for (let p = 1000n; v >= p && k < VALUE_BUCKETS.length - 1; p *= 10n) k++;
  return VALUE_BUCKETS[k];
}

function roundBucket(v: bigint): string {
  if (v === 0n) return 'none';
  let k = 0;
  for (let p = 1000n; k < ROUND_BUCKETS.length - 1 && v % p === 0n; p *= 10n) k++;
  return ROUND_BUCKETS[k];
}

/**
 * Start a tally of the realism statistics.
 * @example const t = realismTally(); for (const tx of txs) t.add(tx); t.counts().version.get('2')
 */
export function realismTally(): RealismTally {
  const counts = Object.fromEntries(REALISM_STATISTICS.map((s) => [s, new Map<string, number>()])) as RealismCounts;
  const bump = (s: RealismStatisticName, bucket: string) => counts[s].set(bucket, (counts[s].get(bucket) ?? 0) + 1);
  // Reuse within a block: a share that does not grow with the number of blocks in the sample.
  const seen = new Set<string>();
  let block: string | null = null;
  let transactions = 0;
  return {
    add(tx) {
      if ((tx.block?.hash ?? null) !== block) {
        block = tx.block?.hash ?? null;
        seen.clear();
      }
      if (tx.inputs.some((i) => i.coinbase)) return;
      transactions++;
      bump('inputs-per-tx', sizeBucket(tx.inputs.length));
      bump('outputs-per-tx', sizeBucket(tx.outputs.length));
      const spendable = tx.outputs.filter((o) => o.scriptType !== 'nulldata');
      bump('two-output-txs', spendable.length === 2 ? 'yes' : 'no');
      const f = txFeatures(tx);
      bump('locktime', tx.locktime === 0 ? 'zero' : tx.locktime < 500_000_000 ? 'height' : 'time');
      bump('version', tx.version === 1 || tx.version === 2 ? String(tx.version) : 'other');
      bump('rbf', f.rbf ? 'yes' : 'no');
      bump('segwit', f.segwit ? 'yes' : 'no');
      const inputs: string[] = [];
      for (const i of tx.inputs) {
        const h = holderOf(i);
        const type = h === null ? null : holderScriptType(tx.chain, h);
        bump('input-script-types', type === null || type === 'p2pk' || type === 'nonstandard' || type === 'multisig' || type === 'p2tr' ? 'unknown' : type);
        if (h !== null) inputs.push(h);
      }
      for (const o of tx.outputs) bump('output-script-types', o.scriptType);
      for (const o of spendable) {
        bump('output-values', valueBucket(o.value));
        bump('round-outputs', roundBucket(o.value));
        const h = holderOf(o);
        bump('address-reuse', h !== null && seen.has(h) ? 'yes' : 'no');
      }
      for (const o of spendable) {
        const h = holderOf(o);
        if (h !== null) seen.add(h);
      }
      for (const h of inputs) seen.add(h);
    },
    get transactions() {
      return transactions;
    },
    counts: () => counts,
  };
}
