import type { AccountTransaction } from '../model/account.js';
import { holderOf, type UtxoTransaction } from '../model/utxo.js';

/** One movement of value as the typology detectors see it: who paid, who got what, in which asset. */
export interface Flow {
  txid: string;
  time: number | null;
  /** Distinct paying holders (UTXO input holders; the sender of an account transfer). */
  from: string[];
  to: { holder: string; value: bigint }[];
  /** `native`, or a token contract. */
  asset: string;
  /**
   * The flow's place (1-based) in the whole chain's flows, for a subset of them (a case's neighbourhood): the
   * detectors' clock when `time` is null. Absent: its place in the flows given.
   */
  seq?: number;
}

/** A typology hit: which pattern, which holders, and the transactions that show it. */
export interface TypologyHit {
  typology: 'peel-chain' | 'aggregator' | 'market-consolidation' | 'deposit-sweep';
  /** The holder the pattern centres on (the chain's spender, the aggregator, the consolidation or sweep target). */
  holder: string;
  /** Other holders that take part (peeled recipients, deposit addresses). */
  members: string[];
  asset: string;
  txids: string[];
  /** Plain-words evidence, e.g. "12 senders in, 9 receivers out". */
  detail: string;
}

/** The flow of a UTXO transaction (coinbase inputs and unspendable outputs left out). */
export function utxoFlow(tx: UtxoTransaction): Flow {
  const from = [...new Set(tx.inputs.filter((i) => !i.coinbase).map(holderOf).filter((h): h is string => h !== null))];
  const to = tx.outputs.map((o) => ({ holder: holderOf(o), value: o.value })).filter((o): o is { holder: string; value: bigint } => o.holder !== null);
  return { txid: tx.txid, time: tx.block?.time ?? null, from, to, asset: 'native' };
}

/** The flows of an account transaction: its value, internal transfers and token transfers, each apart (reverted: none). */
export function accountFlows(tx: AccountTransaction): Flow[] {
  if (tx.status !== 'success') return [];
  const one = (from: string, to: string | null, value: bigint, asset: string): Flow[] =>
    to === null || value === 0n ? [] : [{ txid: tx.hash, time: tx.blockTime, from: [from], to: [{ holder: to, value }], asset }];
  return [
    ...one(tx.from, tx.to, tx.value, 'native'),
    ...tx.internalTransfers.flatMap((t) => (t.traceAddress === '' ? [] : one(t.from, t.to, t.value, 'native'))),
    ...tx.tokenTransfers.flatMap((t) => one(t.from, t.to, t.value, t.token)),
  ];
}

export const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
