import type { AccountTransaction } from '../../model/account.js';
import { type Evidence, evidenceParams, type SameOwnerLink } from './evidence.js';

/** Spec id `self-approval` (heuristics.md §1, EVM; Victor 2020). */
export const id = 'self-approval';
export const version = 1;

export interface SelfApprovalParams {
  /**
   * Also require an earlier successful call from the owner to the token that moved no tokens (the approve).
   * The model carries Transfer logs but not Approval logs, so this is how an approval shows.
   */
  requireApproveCall: boolean;
  confidence: number;
}

export const defaultParams: SelfApprovalParams = { requireApproveCall: true, confidence: 0.9 };

/**
 * An externally owned account that calls a token contract directly and moves another owner's tokens
 * (transferFrom) holds that owner's approval: owner and spender are one owner. A contract spender (a router)
 * never matches, since the transaction then goes to the router, not the token.
 * @example selfApproval(txs)[0]?.evidence.logIndex
 */
export function selfApproval(txs: readonly AccountTransaction[], params: SelfApprovalParams = defaultParams): SameOwnerLink[] {
  const approveCalls = new Map<string, number>();
  const links: SameOwnerLink[] = [];
  const seen = new Set<string>();
  const ordered = [...txs].sort((a, b) => a.blockNumber - b.blockNumber || a.position - b.position);
  for (const tx of ordered) {
    if (tx.status !== 'success' || tx.to === null) continue;
    if (tx.tokenTransfers.length === 0 && tx.value === 0n) {
      const key = `${tx.from}\u0000${tx.to}`;
      if (!approveCalls.has(key)) approveCalls.set(key, tx.blockNumber);
      continue;
    }
    for (const t of tx.tokenTransfers) {
      if (t.token !== tx.to || t.from === tx.from) continue;
      if (params.requireApproveCall && !approveCalls.has(`${t.from}\u0000${t.token}`)) continue;
      const pair = `${t.from}\u0000${tx.from}`;
      if (seen.has(pair)) continue;
      seen.add(pair);
      const evidence: Evidence = {
        rule: id, version, chain: tx.chain, txid: tx.hash, outputIndex: null, logIndex: t.logIndex, blockHeight: tx.blockNumber,
        confidence: params.confidence, params: evidenceParams({ ...params, token: t.token }),
      };
      links.push({ from: t.from, to: tx.from, evidence, found: tx.blockNumber });
    }
  }
  return links;
}
