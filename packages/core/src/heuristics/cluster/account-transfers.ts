import type { AccountTransaction } from '../../model/account.js';
import type { Evidence } from './evidence.js';
import { evidenceParams } from './evidence.js';

/** One value movement on an account chain: the native value of a transaction or an ERC-20 Transfer. */
export interface AccountTransfer {
  chain: string;
  txid: string;
  block: number;
  position: number;
  /** Null for the native value; the log index of a token transfer. */
  logIndex: number | null;
  /** `native` or the token contract. */
  asset: string;
  from: string;
  to: string;
  value: bigint;
}

/**
 * The successful native and token transfers of account transactions, in chain order.
 * @example accountTransfers(txs).filter((t) => t.asset === 'native')
 */
export function accountTransfers(txs: readonly AccountTransaction[]): AccountTransfer[] {
  const out: AccountTransfer[] = [];
  for (const tx of txs) {
    if (tx.status !== 'success') continue;
    const base = { chain: tx.chain, txid: tx.hash, block: tx.blockNumber, position: tx.position };
    if (tx.to !== null && tx.value > 0n) out.push({ ...base, logIndex: null, asset: 'native', from: tx.from, to: tx.to, value: tx.value });
    for (const t of tx.tokenTransfers) out.push({ ...base, logIndex: t.logIndex, asset: t.token, from: t.from, to: t.to, value: t.value });
  }
  return out.sort((a, b) => a.block - b.block || a.position - b.position || (a.logIndex ?? -1) - (b.logIndex ?? -1));
}

/** Evidence for a decision about an account transfer. */
export function transferEvidence(rule: string, version: number, t: AccountTransfer, confidence: number, params: object): Evidence {
  return { rule, version, chain: t.chain, txid: t.txid, outputIndex: null, logIndex: t.logIndex, blockHeight: t.block, confidence, params: evidenceParams(params) };
}
