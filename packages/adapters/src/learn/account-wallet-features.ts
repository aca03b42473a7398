import { ACCOUNT_FEATURES, type AccountTransaction } from '@cryptotrace/core';
import type { SqliteStore } from '../store/sqlite/store.js';
import { streamAccountTransactions } from '../store/sqlite/taint-stream.js';
import { type Gaps, burstiness } from './gaps.js';
import { type TimeProfile, timeFeatures, timeOfWeek } from './time-profile.js';
import { accountWalletIndex, hopsFromIllicit } from './account-wallet-index.js';
import type { WalletRow } from './wallet-features.js';

type AssetClass = 'native' | 'token';

interface Flow {
  received: bigint;
  sent: bigint;
  receipts: number;
  round: number;
  fromIllicit: bigint;
  toService: bigint;
}

interface Acc extends Gaps, TimeProfile {
  addresses: Set<string>;
  txs: number;
  first: number;
  last: number;
  sameBlock: number;
  sent: number;
  fees: bigint;
  contractCalls: number;
  creations: number;
  approvals: number;
  flows: Record<AssetClass, Flow>;
  transfers: number;
  tokenTransfers: number;
  tokens: Set<string>;
  internalReceived: bigint;
  topups: number[];
  topupHits: number;
  tokenSends: number;
  pulledOut: number;
  pulls: number;
  payers: Map<string, number>;
  payees: Set<string>;
  counterparties: Set<string>;
  sendingTxs: number;
  transfersOut: number;
  viaExchange: number;
}

const ZERO = '0x0000000000000000000000000000000000000000';
const CAP = 1000;
const TOPUP_MAX = 2n * 10n ** 16n;
const log10p = (x: number | bigint) => Math.log10(Number(x) + 1);
const share = (a: number | bigint, b: number | bigint) => (Number(b) > 0 ? Number(a) / Number(b) : 0);
const flow = (): Flow => ({ received: 0n, sent: 0n, receipts: 0, round: 0, fromIllicit: 0n, toService: 0n });
const fresh = (): Acc => ({
  addresses: new Set(), txs: 0, first: -1, last: -1, gaps: 0, gapSum: 0, gapSq: 0, timed: 0, hourCos: 0, hourSin: 0, dayCos: 0, daySin: 0, weekend: 0, sameBlock: 0, sent: 0, fees: 0n, contractCalls: 0, creations: 0, approvals: 0,
  flows: { native: flow(), token: flow() }, transfers: 0, tokenTransfers: 0, tokens: new Set(), internalReceived: 0n, topups: [], topupHits: 0, tokenSends: 0, pulledOut: 0, pulls: 0,
  payers: new Map(), payees: new Set(), counterparties: new Set(), sendingTxs: 0, transfersOut: 0, viaExchange: 0,
});

/** Every value a transaction moves: the top-level value, internal transfers (not the top call) and token logs. */
function transfersOf(tx: AccountTransaction): { from: string; to: string; value: bigint; token: string | null; internal: boolean }[] {
  if (tx.status !== 'success') return [];
  const top = tx.to ?? tx.contractAddress;
  return [
    ...(tx.value > 0n && top ? [{ from: tx.from, to: top, value: tx.value, token: null, internal: false }] : []),
    ...tx.internalTransfers.filter((t) => t.traceAddress !== '' && t.value > 0n).map((t) => ({ from: t.from, to: t.to, value: t.value, token: null, internal: true })),
    ...tx.tokenTransfers.map((t) => ({ from: t.from, to: t.to, value: t.value, token: t.token, internal: false })),
  ];
}

/**
 * The ACCOUNT_FEATURES vector of every wallet of an account chain, streamed over the store in block order: wallets
 * are the stored account clusters (an address of no cluster is a wallet of its own). Memory: one accumulator per wallet.
 * @returns rows sorted by wallet name (its smallest address)
 * @example accountWalletFeatures(store, 'ethereum')[0].features.length === ACCOUNT_FEATURES.length
 */
export function accountWalletFeatures(store: SqliteStore, chain: string): WalletRow[] {
  const { walletOf, illicit, service, exchange } = accountWalletIndex(store.db, chain);
  // Contracts: what was created, what emitted a Transfer, what paid out internally.
  const contracts = new Set(store.db.prepare(`SELECT a.address FROM addresses a WHERE a.chain = ? AND (a.id IN (SELECT contract_id FROM account_txs WHERE contract_id IS NOT NULL)
    OR a.id IN (SELECT token_id FROM token_transfers) OR a.id IN (SELECT from_id FROM internal_transfers WHERE trace_address <> ''))`).pluck().all(chain) as string[]);
  // IN, not a join: token_transfers has no index on token_id, so a join scans it once per address.
  const tokenContracts = new Set(store.db.prepare('SELECT address FROM addresses WHERE chain = ? AND id IN (SELECT token_id FROM token_transfers)').pluck().all(chain) as string[]);
  const acc = new Map<string, Acc>();
  const get = (w: string) => acc.get(w) ?? (acc.set(w, fresh()), acc.get(w)!);
  for (const tx of streamAccountTransactions(store.db, chain)) {
    const height = tx.blockNumber;
    const when = timeOfWeek(tx.blockTime);
    const moves = transfersOf(tx);
    const touched = new Map<string, string[]>();
    for (const a of [tx.from, tx.to, tx.contractAddress, ...moves.flatMap((m) => [m.from, m.to])]) if (a && a !== ZERO) touched.set(walletOf(a), [...(touched.get(walletOf(a)) ?? []), a]);
    for (const [w, addresses] of touched) {
      const a = get(w);
      for (const h of addresses) a.addresses.add(h);
      a.txs++;
      if (a.first < 0) a.first = height;
      if (a.last >= 0) {
        const g = height - a.last;
        if (g === 0) a.sameBlock++;
        a.gaps++;
        a.gapSum += g;
        a.gapSq += g * g;
      }
      a.last = height;
      if (when) {
        a.timed++;
        a.hourCos += when.hourCos;
        a.hourSin += when.hourSin;
        a.dayCos += when.dayCos;
        a.daySin += when.daySin;
        if (when.weekend) a.weekend++;
      }
    }
    const sender = walletOf(tx.from);
    const s = get(sender);
    s.sent++;
    s.fees += tx.fee;
    if (tx.to === null || contracts.has(tx.to)) s.contractCalls++;
    if (tx.to === null) s.creations++;
    if (tx.status === 'success' && tx.to !== null && tokenContracts.has(tx.to) && moves.length === 0) s.approvals++;
    const outs = new Map<string, number>();
    for (const m of moves) {
      const [wa, wb] = [walletOf(m.from), walletOf(m.to)];
      if (wa === wb) continue;
      const cls: AssetClass = m.token ? 'token' : 'native';
      const b = get(wb);
      const fb = b.flows[cls];
      fb.received += m.value;
      fb.receipts++;
      if (m.value % (cls === 'token' ? 10n ** 8n : 10n ** 17n) === 0n) fb.round++;
      if (m.internal) b.internalReceived += m.value;
      if (m.token) b.tokens.add(m.token);
      if (cls === 'native' && m.value <= TOPUP_MAX) {
        // Only top-ups of the last 2 blocks count at a token send, and blocks come in order: older ones are dropped.
        while (b.topups.length && height - b.topups[0] > 2) b.topups.shift();
        b.topups.push(height);
      }
      if (m.token && sender === wb && m.from !== ZERO) b.pulls++;
      b.transfers++;
      if (m.token) b.tokenTransfers++;
      if (m.from === ZERO) continue;
      if (illicit.has(wa)) fb.fromIllicit += m.value;
      if (exchange.has(wa)) b.viaExchange++;
      if (b.payers.size < CAP || b.payers.has(wa)) b.payers.set(wa, (b.payers.get(wa) ?? 0) + 1);
      if (b.counterparties.size < 2 * CAP) b.counterparties.add(wa);
      const a = get(wa);
      const fa = a.flows[cls];
      fa.sent += m.value;
      if (service.has(wb)) fa.toService += m.value;
      if (exchange.has(wb)) a.viaExchange++;
      a.transfers++;
      if (m.token) {
        a.tokenTransfers++;
        a.tokens.add(m.token);
        a.tokenSends++;
        if (sender !== wa) a.pulledOut++;
        a.topupHits += a.topups.filter((h) => height - h <= 2).length;
        a.topups = [];
      }
      if (a.payees.size < CAP) a.payees.add(wb);
      if (a.counterparties.size < 2 * CAP) a.counterparties.add(wb);
      outs.set(wa, (outs.get(wa) ?? 0) + 1);
    }
    for (const [w, n] of outs) {
      const a = get(w);
      a.sendingTxs++;
      a.transfersOut += n;
    }
  }
  const hops = hopsFromIllicit(illicit, (w) => acc.get(w)?.payees);
  const rows: WalletRow[] = [];
  for (const [key, a] of acc) {
    const addresses = [...a.addresses].sort();
    // The zero address (burns) is no wallet.
    if (addresses.length === 0) continue;
    const { native: n, token: t } = a.flows;
    const exposure = (f: (x: Flow) => number) => Math.max(f(n), f(t));
    const hop = hops.get(key) ?? 0;
    const byName: Record<string, number> = {
      txs: log10p(a.txs), lifetime: a.last - a.first, burstiness: burstiness(a), 'same-block': share(a.sameBlock, a.txs), ...timeFeatures(a),
      addresses: log10p(addresses.length), 'sent-txs': share(a.sent, a.txs),
      'native-received': log10p(n.received), 'native-sent': log10p(n.sent), 'native-turnover': share(n.sent, n.received),
      'token-received': log10p(t.received), 'token-sent': log10p(t.sent), 'token-turnover': share(t.sent, t.received),
      'token-share': share(a.tokenTransfers, a.transfers), 'distinct-tokens': a.tokens.size, 'round-native': share(n.round, n.receipts), 'round-token': share(t.round, t.receipts),
      'gas-topups': share(a.topupHits, n.receipts), 'internal-received': share(a.internalReceived, n.received), fees: log10p(a.fees),
      approvals: log10p(a.approvals), 'pulled-out': share(a.pulledOut, a.tokenSends), pulls: share(a.pulls, t.receipts),
      'contract-calls': share(a.contractCalls, a.sent), creations: a.creations,
      payers: log10p(a.payers.size), payees: log10p(a.payees.size), degree: log10p(a.counterparties.size), 'fan-in': share(a.payers.size, a.payers.size + a.payees.size),
      'fan-out': share(a.transfersOut, a.sendingTxs), 'one-off-payers': share([...a.payers.values()].filter((c) => c === 1).length, a.payers.size),
      'via-exchange': share(a.viaExchange, a.transfers),
      'exposure-direct': exposure((f) => share(f.fromIllicit, f.received)), 'exposure-hops': hop > 0 ? 1 / hop : 0, 'exposure-to-service': exposure((f) => share(f.toService, f.sent)),
    };
    rows.push({ wallet: addresses[0], addresses, features: ACCOUNT_FEATURES.map((f) => byName[f.name]) });
  }
  return rows.sort((x, y) => (x.wallet < y.wallet ? -1 : x.wallet > y.wallet ? 1 : 0));
}
