import type { AccountTransaction } from '../../model/account.js';
import { accountTransfers, transferEvidence, type AccountTransfer } from './account-transfers.js';
import type { SameOwnerLink } from './evidence.js';

/** Spec id `deposit-address` (heuristics.md §1, EVM; Victor 2020). */
export const id = 'deposit-address';
export const version = 1;

export interface DepositAddressParams {
  /** Known exchange addresses (from labels), checksummed as the store keeps them. */
  exchanges: readonly string[];
  /** Addresses never taken as depositors (block producers). */
  miners: readonly string[];
  windowBlocks: number;
  /** Most the native forward may fall short of the deposit (gas): 0.01 ETH. */
  maxNativeShortfall: bigint;
  /** Most a token forward may fall short (token units; gas is paid in the native coin). */
  maxTokenShortfall: bigint;
  /** Also link each deposit address to its exchange (it is the exchange's address). */
  linkToExchange: boolean;
  confidence: number;
}

export const defaultParams: DepositAddressParams = {
  exchanges: [], miners: [], windowBlocks: 10_000, maxNativeShortfall: 10n ** 16n, maxTokenShortfall: 0n, linkToExchange: true, confidence: 0.9,
};

/**
 * Find deposit addresses (d forwards what u sent it to a known exchange x within the window, minus at most gas):
 * link d to x (evidence: the forward), and every depositor u of the same d: from the first depositor to each later
 * one (evidence: the later depositor's payment, with the deposit address and the exchange).
 * @param txs the account transactions of one chain
 * @example depositAddress(txs, { ...defaultParams, exchanges: ['0x28C6...'] })
 */
export function depositAddress(txs: readonly AccountTransaction[], params: DepositAddressParams = defaultParams): SameOwnerLink[] {
  const exchanges = new Set(params.exchanges);
  const miners = new Set(params.miners);
  const transfers = accountTransfers(txs);
  const incoming = new Map<string, AccountTransfer[]>();
  for (const t of transfers) {
    const key = `${t.to}\u0000${t.asset}`;
    const list = incoming.get(key);
    if (list) list.push(t);
    else incoming.set(key, [t]);
  }
  // `found`: the forward that made u a depositor of d (a pay comes before its forward, so the list only grows at the end).
  const depositors = new Map<string, { u: string; pay: AccountTransfer; exchange: string; found: number }[]>();
  const forwards = new Map<string, AccountTransfer>();
  for (const f of transfers) {
    if (!exchanges.has(f.to) || exchanges.has(f.from)) continue;
    const max = f.asset === 'native' ? params.maxNativeShortfall : params.maxTokenShortfall;
    for (const pay of incoming.get(`${f.from}\u0000${f.asset}`) ?? []) {
      const diff = pay.value - f.value;
      if (pay.block > f.block || f.block - pay.block > params.windowBlocks || diff < 0n || diff > max) continue;
      if (miners.has(pay.from) || exchanges.has(pay.from)) continue;
      if (!forwards.has(f.from)) forwards.set(f.from, f);
      const list = depositors.get(f.from) ?? [];
      if (!list.some((x) => x.u === pay.from)) list.push({ u: pay.from, pay, exchange: f.to, found: f.block });
      depositors.set(f.from, list);
    }
  }
  const links: SameOwnerLink[] = [];
  const { windowBlocks, maxNativeShortfall, maxTokenShortfall } = params;
  for (const [deposit, list] of [...depositors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (params.linkToExchange) {
      const f = forwards.get(deposit)!;
      links.push({ from: f.to, to: deposit, evidence: transferEvidence(id, version, f, params.confidence, { windowBlocks, maxNativeShortfall, maxTokenShortfall, deposit, exchange: f.to }), found: f.block });
    }
    for (const later of list.slice(1)) {
      const evidence = transferEvidence(id, version, later.pay, params.confidence, { windowBlocks, maxNativeShortfall, maxTokenShortfall, deposit, exchange: later.exchange });
      links.push({ from: list[0].u, to: later.u, evidence, found: later.found });
    }
  }
  return links;
}
