import type { AccountTransaction } from '../../model/account.js';
import { accountTransfers, transferEvidence, type AccountTransfer } from './account-transfers.js';
import type { SameOwnerLink } from './evidence.js';

/** Spec id `airdrop-multi` (heuristics.md §1, EVM; Victor 2020). */
export const id = 'airdrop-multi';
export const version = 1;

export interface AirdropMultiParams {
  minRecipients: number;
  /** Median absolute distance of the distribution's blocks from their median block. */
  maxBlockSpread: number;
  /** Recipients that must gather into one address before they are linked. */
  minGatherings: number;
  /** A gathering moves exactly what the recipient was airdropped (a payment in the same token is not a gathering). */
  sameAmount: boolean;
  confidence: number;
}

export const defaultParams: AirdropMultiParams = { minRecipients: 1000, maxBlockSpread: 2, minGatherings: 2, sameAmount: true, confidence: 0.8 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

/**
 * Find airdrops (one sender of a token to ≥ 1,000 recipients, median block spread ≤ 2) and link the recipients
 * that forward the airdropped token to one gathering address (≥ 2 of them): from the first such recipient to each
 * later one, the evidence naming the later gathering transfer.
 * @example airdropMulti(txs).length
 */
export function airdropMulti(txs: readonly AccountTransaction[], params: AirdropMultiParams = defaultParams): SameOwnerLink[] {
  const transfers = accountTransfers(txs).filter((t) => t.asset !== 'native');
  const byDistribution = new Map<string, AccountTransfer[]>();
  for (const t of transfers) {
    const key = `${t.asset}\u0000${t.from}`;
    byDistribution.set(key, [...(byDistribution.get(key) ?? []), t]);
  }
  const links: SameOwnerLink[] = [];
  for (const [key, sent] of byDistribution) {
    const recipients = new Set(sent.map((t) => t.to));
    const dropped = new Map<string, bigint>();
    for (const t of sent) dropped.set(t.to, (dropped.get(t.to) ?? 0n) + t.value);
    if (recipients.size < params.minRecipients) continue;
    const m = median(sent.map((t) => t.block));
    if (median(sent.map((t) => Math.abs(t.block - m))) > params.maxBlockSpread) continue;
    const [token, distributor] = key.split('\u0000');
    const gathered = new Map<string, AccountTransfer[]>();
    for (const t of transfers) {
      if (t.asset !== token || !recipients.has(t.from) || t.to === distributor || t.block < m) continue;
      if (params.sameAmount && t.value !== dropped.get(t.from)) continue;
      const list = gathered.get(t.to) ?? [];
      if (!list.some((x) => x.from === t.from)) list.push(t);
      gathered.set(t.to, list);
    }
    for (const [gatherer, list] of gathered) {
      if (list.length < params.minGatherings) continue;
      for (const later of list.slice(1)) {
        links.push({ from: list[0].from, to: later.from, evidence: transferEvidence(id, version, later, params.confidence, { ...params, token, distributor, gatherer }) });
      }
    }
  }
  return links;
}
