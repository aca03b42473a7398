import { type SqliteStore, caseNeighbourhood, clusterRebuildPending, labelCounts, queryLabels, streamAccountTransactions, streamUtxoTransactions, taintLookups, utxoCaseSource } from '@cryptotrace/adapters';
import {
  CtraceError, ILLICIT_CATEGORIES, type LabelIndex, SERVICE_CATEGORIES, type TaintSeeds, type TaintSummary, type TypologyHit, type UtxoTaintRun, accountFlows, createLabelIndex, detectFanPatterns,
  detectPeelChains, getChain, getTaintPolicy, normalizeCategory, peelChainDefaults, propagateAccountTaint, propagateUtxoTaint, summarizeTaint, traceAccountBackward, utxoFlow,
} from '@cryptotrace/core';
import { safeText } from '../output.js';
import { looksLikeOutpoint, looksLikeTxid, storedAddress, storedOutpoint, storedTx } from './resolve.js';

/** The walk options `trace` and `suspects` share, as parsed from the command line. */
export interface WalkOptions {
  policy: string;
  direction: 'forward' | 'backward';
  hops?: number;
  minAmount?: bigint;
  from?: number;
  to?: number;
  stopAt: 'labelled' | 'services' | 'none';
  asOf: string;
}

/** Parse the flags both commands take; one clear line for each mistake. */
/** The walk's flags as commander gives them, shared by `ctrace trace` and `ctrace suspects`. */
export interface WalkFlags {
  policy?: string;
  hops?: string;
  minAmount?: string;
  from?: string;
  to?: string;
  stopAt?: string;
  asOf?: string;
  chain?: string;
  limit?: string;
}

export function walkOptions(o: WalkFlags, direction: 'forward' | 'backward'): WalkOptions {
  const policy = getTaintPolicy(o.policy ?? 'fifo').id;
  const int = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new CtraceError('USAGE', `${flag} "${safeText(v)}" is not a whole number`);
    return Number(v);
  };
  const time = (flag: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v) / 1000;
    if (!Number.isFinite(t)) throw new CtraceError('USAGE', `${flag} "${safeText(v)}" is not a date (ISO-8601) or unix seconds`);
    return Math.floor(t);
  };
  const stopAt = o.stopAt ?? 'labelled';
  if (!['labelled', 'services', 'none'].includes(stopAt)) throw new CtraceError('USAGE', `--stop-at "${safeText(stopAt)}": use labelled, services or none`);
  const asOf = o.asOf ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(asOf))) throw new CtraceError('USAGE', `--as-of "${safeText(asOf)}" is not an ISO-8601 time`);
  const min = int('--min-amount', o.minAmount);
  return { policy, direction, hops: int('--hops', o.hops), minAmount: min === undefined ? undefined : BigInt(o.minAmount!), from: time('--from', o.from), to: time('--to', o.to), stopAt: stopAt as WalkOptions['stopAt'], asOf };
}

/** The chain's labels, for stopping and ranking. */
export function labelIndexOf(store: SqliteStore, chain: string): LabelIndex {
  return createLabelIndex(queryLabels(store.db, { chain }));
}

/** Seeds named on the command line: txid, txid:vout, an address, `category:<name>` or `typology:<name>`. */
export interface ResolvedSeeds {
  chain: string;
  seeds: TaintSeeds;
  /** The holders that are sources (not ranked as suspects). */
  holders: Set<string>;
  /** Label categories the sources were chosen by. */
  categories: string[];
}

/**
 * Every address, txid and txid:vout is resolved by ./resolve.js and must be in the store (NOT_FOUND, exit 1, naming
 * `dbPath`); a bare word must be a label category (USAGE, exit 2, otherwise).
 */
export function resolveSeeds(store: SqliteStore, dbPath: string, targets: readonly string[], chainFlag: string | undefined, labels: () => LabelIndex, typologies: () => TypologyHit[], asOf: string): ResolvedSeeds {
  const addresses = new Set<string>();
  const txids: string[] = [];
  const outpoints: { txid: string; vout: number }[] = [];
  const categories: string[] = [];
  let chain = chainFlag;
  const setChain = (c: string) => {
    if (chain && chain !== c) throw new CtraceError('USAGE', `the targets are on ${chain} and ${c}: trace one chain at a time (--chain)`);
    chain = c;
  };
  let known: Set<string> | undefined;
  const knownCategory = (c: string) => (known ??= new Set([...ILLICIT_CATEGORIES, ...SERVICE_CATEGORIES, ...labelCounts(store.db).map((l) => l.category)])).has(c);
  for (const raw of targets) {
    const t = raw.trim();
    if (looksLikeOutpoint(t)) {
      const r = storedOutpoint(store, dbPath, t, chain);
      setChain(r.chain);
      outpoints.push({ txid: r.txid, vout: r.vout });
    } else if (looksLikeTxid(t)) {
      const r = storedTx(store, dbPath, t, chain);
      setChain(r.chain);
      txids.push(r.txid);
    } else if (/^(category|label):/.test(t)) {
      categories.push(normalizeCategory(t.slice(t.indexOf(':') + 1)));
    } else if (t.startsWith('typology:')) {
      const name = t.slice(9);
      const hits = typologies().filter((h) => h.typology === name);
      if (!['peel-chain', 'aggregator', 'market-consolidation', 'deposit-sweep'].includes(name)) {
        throw new CtraceError('USAGE', `unknown typology "${safeText(name)}": use peel-chain, aggregator, market-consolidation or deposit-sweep`);
      }
      for (const h of hits) addresses.add(h.holder);
    } else if (/^[a-z_]+$/.test(t)) {
      // A bare word is a label category only when it is one: a known category or one the store's labels use.
      if (!knownCategory(t)) {
        throw new CtraceError('USAGE', `"${safeText(t)}" is not an address, a txid or a label category (write category:${safeText(t)} to name a category anyway; "ctrace labels list --summary" lists the stored ones)`);
      }
      categories.push(normalizeCategory(t));
    } else {
      const r = storedAddress(store, dbPath, t, chain);
      setChain(r.chain);
      addresses.add(r.address);
      // A key's pay-to-pubkey outputs are held by p2pk:<its P2PKH address>: the same owner.
      if (getChain(r.chain).kind === 'utxo' && !r.address.includes(':') && store.chainsOfAddress(`p2pk:${r.address}`).length) addresses.add(`p2pk:${r.address}`);
      if (r.address.startsWith('p2pk:')) addresses.add(r.address.slice(5));
    }
  }
  chain ??= store.stats().chains[0];
  if (!chain) throw new CtraceError('NOT_FOUND', 'the case store holds no transactions: ingest or fetch some first');
  if (categories.length) {
    const found = labels().withCategory(categories, asOf).filter((a) => a.chain === chain);
    for (const a of found) {
      addresses.add(a.address);
      // Sources label keys; outputs to a key are stored as p2pk:<address>.
      if (getChain(chain).kind === 'utxo' && /^1/.test(a.address)) addresses.add(`p2pk:${a.address}`);
    }
  }
  const seeds = { addresses: [...addresses].sort(), txids, outpoints };
  if (!seeds.addresses.length && !txids.length && !outpoints.length) {
    throw new CtraceError('NOT_FOUND', `no source on ${chain}: ${categories.length ? `no address labelled ${categories.join(', ')} (import labels with "ctrace labels import")` : 'name an address, a transaction or a label category'}`);
  }
  return { chain, seeds, holders: new Set(seeds.addresses), categories };
}

/** Run one walk over the store (streamed) and summarize it with the store's totals and clusters. */
/** What to tell the reader when the chain's clusters are unfinished (a killed `cluster rebuild`), or null. */
export function clustersNote(store: SqliteStore, chain: string): string | null {
  if (!clusterRebuildPending(store.db, chain)) return null;
  return `the clusters of ${chain} are unfinished (a cluster rebuild was stopped before its end): wallets are single addresses here until \`ctrace cluster rebuild --chain ${chain}\` is run again`;
}

export function runWalk(store: SqliteStore, chain: string, seeds: TaintSeeds, o: WalkOptions, labels: LabelIndex): { run: UtxoTaintRun; summary: TaintSummary } {
  const stop = o.stopAt === 'none' ? undefined : o.stopAt === 'services' ? (h: string) => labels.isService(chain, h, o.asOf) : (h: string) => labels.has(chain, h, o.asOf);
  const bounds = { maxHops: o.hops, minAmount: o.minAmount, from: o.from, to: o.to, stopAt: stop };
  let run: UtxoTaintRun;
  if (getChain(chain).kind === 'account') {
    if (!['fifo', 'lifo', 'haircut'].includes(o.policy)) throw new CtraceError('USAGE', `account chains are traced with fifo, lifo or haircut, not ${o.policy}`);
    const accountSeeds = { addresses: seeds.addresses, txids: seeds.txids };
    run = o.direction === 'backward'
      ? traceAccountBackward(streamAccountTransactions(store.db, chain), { policy: o.policy as 'fifo', seeds: accountSeeds, maxHops: o.hops, minAmount: o.minAmount, stopAt: stop })
      : propagateAccountTaint(streamAccountTransactions(store.db, chain), { policy: o.policy as 'fifo', seeds: accountSeeds, ...bounds });
  } else {
    // Case-bounded: only the seeds' transactions and those that take tainted coins on (or, backward, made them).
    // The summary needs the outputs only: no step is kept.
    run = propagateUtxoTaint(utxoCaseSource(store.db, chain, o.direction), { policy: o.policy as 'fifo', direction: o.direction, seeds, ...bounds, keepSteps: false });
  }
  return { run, summary: summarizeTaint(run, taintLookups(store.db, chain)) };
}

/**
 * The typology hits that can name the holders (a walk's, or the suspects it ranks first), read from their neighbourhood
 * only (UTXO chains): the same hits for them as over the whole chain. Account chains (smaller) are still read whole (`wholeChain`, memoized by the caller).
 */
export function caseTypologies(store: SqliteStore, chain: string, holders: readonly string[], wholeChain: () => TypologyHit[]): TypologyHit[] {
  if (getChain(chain).kind === 'account') return wholeChain();
  const near = caseNeighbourhood(store.db, chain, holders, peelChainDefaults.maxBlocks);
  return [...detectPeelChains(near.peel), ...detectFanPatterns(near.fan)];
}

/** The typology detectors over the whole chain (one streamed pass each): for sources named by typology. */
export function detectTypologies(store: SqliteStore, chain: string): TypologyHit[] {
  if (getChain(chain).kind === 'account') return detectFanPatterns((function* () { for (const tx of streamAccountTransactions(store.db, chain)) yield* accountFlows(tx); })());
  const peel = detectPeelChains(streamUtxoTransactions(store.db, chain));
  const fan = detectFanPatterns((function* () { for (const tx of streamUtxoTransactions(store.db, chain)) yield utxoFlow(tx); })());
  return [...peel, ...fan];
}
