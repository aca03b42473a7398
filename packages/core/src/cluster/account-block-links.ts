import type { AccountTransaction } from '../model/account.js';
import { type AccountTransfer, accountTransfers } from '../heuristics/cluster/account-transfers.js';
import { airdropMedianBlock } from '../heuristics/cluster/airdrop-multi.js';
import type { SameOwnerLink } from '../heuristics/cluster/evidence.js';
import { type AccountKnown, accountLinks, accountRuleParams } from './account-links.js';
import type { ClusterRuleSet } from './rule-set.js';

/** The stored transactions of an account chain an update reads around new blocks (all of them before those blocks). */
export interface AccountNeighbourhood {
  /** Transactions with a native or token transfer from or to one of the addresses. */
  touching(addresses: readonly string[]): AccountTransaction[];
  /** Transactions sent from the first address of a pair to the second. */
  between(pairs: readonly (readonly [string, string])[]): AccountTransaction[];
  /** Who sent the token to the recipient (successful transfers); the caller does not change it. */
  tokenSenders(token: string, recipient: string): ReadonlySet<string>;
  /** The successful transfers of a token from one sender in chain order, as columns (recipient, block); the caller does not change them. */
  tokenSends(token: string, from: string): { to: readonly string[]; block: readonly number[] };
}

const byChainOrder = (a: AccountTransaction, b: AccountTransaction) => a.blockNumber - b.blockNumber || a.position - b.position;

/**
 * The links the EVM rules find in new blocks of an account chain, every new block after every stored one: each
 * rule runs over the new transactions and the stored ones their candidates depend on, and only the links found in
 * the new blocks are kept, in `accountLinks` order. The candidates:
 * - deposit-address: each address forwarding to a known exchange in the new blocks, with its whole history;
 * - self-approval: each transferFrom sent to a token, with the owner's and the spender's calls to that token;
 * - airdrop-multi: each sender of a token moved in the new blocks to the address moving it, when its sends of that
 *   token up to the move's block are an airdrop, with the histories of the sender and its recipients.
 * The same links, in the same order, as `accountLinks` over the whole chain gives for those blocks.
 * @param fresh the new transactions
 * @example accountBlockLinks(blockTxs, sqliteNeighbourhood, defaultRuleSet(), { exchanges, miners })
 */
export function accountBlockLinks(fresh: readonly AccountTransaction[], stored: AccountNeighbourhood, set: ClusterRuleSet, known: AccountKnown): SameOwnerLink[] {
  if (fresh.length === 0) return [];
  // A loop, not Math.min(...): an update after a large ingest holds more transactions than a call takes arguments.
  let first = fresh[0].blockNumber;
  for (const t of fresh) if (t.blockNumber < first) first = t.blockNumber;
  const transfers = accountTransfers(fresh);
  const read: AccountTransaction[][] = [];
  const deposits = new Set<string>();
  if (set.rules.includes('deposit-address') && known.exchanges.length > 0) {
    const exchanges = new Set(known.exchanges);
    for (const t of transfers) if (exchanges.has(t.to) && !exchanges.has(t.from)) deposits.add(t.from);
    if (deposits.size > 0) read.push(stored.touching([...deposits].sort()));
  }
  if (set.rules.includes('self-approval')) {
    const pairs = new Map<string, [string, string]>();
    for (const tx of fresh) for (const t of tx.tokenTransfers) {
      if (tx.status !== 'success' || t.token !== tx.to || t.from === tx.from) continue;
      for (const who of [t.from, tx.from]) pairs.set(`${who}\u0000${t.token}`, [who, t.token]);
    }
    if (pairs.size > 0) read.push(stored.between([...pairs.values()]));
  }
  const airdrops = new Set<string>();
  if (set.rules.includes('airdrop-multi')) {
    const { airdrop } = accountRuleParams(set, known);
    const fromTo = (side: 'from' | 'to') => {
      const m = new Map<string, AccountTransfer[]>();
      for (const t of transfers) if (t.asset !== 'native') {
        const k = `${t.asset}\u0000${t[side]}`;
        const list = m.get(k);
        if (list) list.push(t);
        else m.set(k, [t]);
      }
      return m;
    };
    const freshFrom = fromTo('from');
    const freshTo = fromTo('to');
    const sendsOf = new Map<string, { to: readonly string[]; block: readonly number[] }>();
    const judged = new Set<string>();
    for (const g of transfers) {
      if (g.asset === 'native' || judged.has(`${g.asset}\u0000${g.from}\u0000${g.block}`)) continue;
      judged.add(`${g.asset}\u0000${g.from}\u0000${g.block}`);
      const fresh = (freshTo.get(`${g.asset}\u0000${g.from}`) ?? []).map((t) => t.from);
      for (const d of fresh.length ? new Set([...stored.tokenSenders(g.asset, g.from), ...fresh]) : stored.tokenSenders(g.asset, g.from)) {
        const key = `${g.asset}\u0000${d}`;
        if (airdrops.has(key) || judged.has(`${key}\u0000\u0000${g.block}`)) continue;
        judged.add(`${key}\u0000\u0000${g.block}`);
        let sends = sendsOf.get(key);
        if (!sends) {
          const kept = stored.tokenSends(g.asset, d);
          const more = freshFrom.get(key) ?? [];
          // Copied only when the sender also sends in the new blocks (a hub's kept columns are long).
          sendsOf.set(key, (sends = more.length === 0 ? kept : { to: [...kept.to, ...more.map((t) => t.to)], block: [...kept.block, ...more.map((t) => t.block)] }));
        }
        // The distribution as it stands at the gathering's block (airdropMulti judges it so); the spread first,
        // from the blocks alone, then the recipients.
        let n = sends.block.length;
        while (n > 0 && sends.block[n - 1] > g.block) n--;
        const blocks = n === sends.block.length ? sends.block : sends.block.slice(0, n);
        if (airdropMedianBlock(blocks, airdrop.minRecipients, airdrop) === null) continue;
        if (airdropMedianBlock(blocks, new Set(sends.to.slice(0, n)).size, airdrop) === null) continue;
        airdrops.add(key);
        read.push(stored.touching([d, ...[...new Set(sends.to)].sort()]));
      }
    }
  }
  const txs = new Map<string, AccountTransaction>();
  for (const t of [...read.flat(), ...fresh]) txs.set(t.hash, t);
  const kept = (l: SameOwnerLink) => {
    if ((l.found ?? 0) < first) return false;
    const p = l.evidence.params;
    if (l.evidence.rule === 'deposit-address') return deposits.has(String(p.deposit));
    if (l.evidence.rule === 'airdrop-multi') return airdrops.has(`${String(p.token)}\u0000${String(p.distributor)}`);
    return true;
  };
  return accountLinks([...txs.values()].sort(byChainOrder), set, known).filter(kept);
}
