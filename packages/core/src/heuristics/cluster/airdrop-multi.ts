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

/**
 * Whether one sender's transfers of a token are an airdrop (≥ minRecipients recipients, median block spread ≤
 * maxBlockSpread), and if so the median block of its sends (gatherings count from there). The spread test counts
 * the sends within maxBlockSpread of the median (two binary searches), so a long distribution costs no sort.
 * @param blocks the block of each send, ascending
 * @example airdropMedianBlock([5, 5, 6], 3, { ...defaultParams, minRecipients: 3 }) // 5
 */
export function airdropMedianBlock(blocks: readonly number[], recipients: number, params: Pick<AirdropMultiParams, 'minRecipients' | 'maxBlockSpread'>): number | null {
  if (recipients < params.minRecipients || blocks.length === 0) return null;
  const mid = Math.floor((blocks.length - 1) / 2);
  const m = blocks[mid];
  // The median distance is at most the spread when more than `mid` sends lie within it.
  const near = firstAbove(blocks, m + params.maxBlockSpread) - firstAbove(blocks, m - params.maxBlockSpread - 1);
  return near > mid ? m : null;
}

/** The index of the first element above x in an ascending list. */
function firstAbove(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const k = (lo + hi) >> 1;
    if (xs[k] <= x) lo = k + 1;
    else hi = k;
  }
  return lo;
}

/** A distribution as of a block: its recipients, what each was sent, and its median block when it is an airdrop. */
interface DistributionAsOf {
  dropped: Map<string, bigint>;
  median: number | null;
}

/**
 * One sender's transfers of a token (chain order) read up to a block, for blocks asked in rising order: the sends
 * of every block up to it counted, the test made once per block.
 */
function distributionReader(sent: readonly AccountTransfer[], params: AirdropMultiParams): (block: number) => DistributionAsOf {
  const dropped = new Map<string, bigint>();
  const blocks: number[] = [];
  let next = 0;
  let at = -1;
  let view: DistributionAsOf = { dropped, median: null };
  return (block) => {
    if (block === at) return view;
    for (; next < sent.length && sent[next].block <= block; next++) {
      const t = sent[next];
      dropped.set(t.to, (dropped.get(t.to) ?? 0n) + t.value);
      blocks.push(t.block);
    }
    at = block;
    view = { dropped, median: airdropMedianBlock(blocks, dropped.size, params) };
    return view;
  };
}

/**
 * Find airdrops (one sender of a token to ≥ 1,000 recipients, median block spread ≤ 2) and link the recipients
 * that forward the airdropped token to one gathering address (≥ 2 of them): from the first such recipient to each
 * later one, the evidence naming the later gathering transfer. Each gathering is judged against the distribution
 * as it stands at the gathering's block (its sends up to that block): what a chain followed block by block can
 * know then, so that a later send neither takes back a link nor makes one after the fact.
 * @example airdropMulti(txs).length
 */
export function airdropMulti(txs: readonly AccountTransaction[], params: AirdropMultiParams = defaultParams): SameOwnerLink[] {
  const transfers = accountTransfers(txs).filter((t) => t.asset !== 'native');
  const byDistribution = new Map<string, AccountTransfer[]>();
  for (const t of transfers) {
    const key = `${t.asset}\u0000${t.from}`;
    const list = byDistribution.get(key);
    if (list) list.push(t);
    else byDistribution.set(key, [t]);
  }
  const links: SameOwnerLink[] = [];
  for (const [key, sent] of byDistribution) {
    if (new Set(sent.map((t) => t.to)).size < params.minRecipients) continue;
    const [token, distributor] = key.split('\u0000');
    const asOf = distributionReader(sent, params);
    const gathered = new Map<string, AccountTransfer[]>();
    for (const t of transfers) {
      if (t.asset !== token || t.to === distributor) continue;
      const d = asOf(t.block);
      if (d.median === null || t.block < d.median || !d.dropped.has(t.from)) continue;
      if (params.sameAmount && t.value !== d.dropped.get(t.from)) continue;
      const list = gathered.get(t.to) ?? [];
      if (!list.some((x) => x.from === t.from)) list.push(t);
      gathered.set(t.to, list);
    }
    for (const [gatherer, list] of gathered) {
      if (list.length < params.minGatherings) continue;
      for (const later of list.slice(1)) {
        links.push({ from: list[0].from, to: later.from, evidence: transferEvidence(id, version, later, params.confidence, { ...params, token, distributor, gatherer }), found: later.block });
      }
    }
  }
  return links;
}
