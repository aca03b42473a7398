import type { InternalTransfer, TokenInfo } from '@cryptotrace/core';
import { address, hash32, invalidAnswer, isRecord } from '../evm-rpc/hex.js';
import { cleanText } from '../evm-rpc/token-info.js';

/** Where a listed row puts its transaction: enough to order a page and fetch the transaction. */
export interface RowRef {
  hash: string;
  blockNumber: number;
  /** Position in the block where the list gives it (txlist, tokentx), else -1. */
  position: number;
}

const int = (v: unknown, where: string): number => {
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v)) throw invalidAnswer(where, `expected a decimal number, got ${JSON.stringify(v)?.slice(0, 30)}`);
  return Number(v);
};

/**
 * The transaction a row of `txlist`, `txlistinternal` or `tokentx` belongs to.
 * @throws CtraceError SOURCE_INVALID
 */
export function rowRef(row: unknown, where: string): RowRef {
  if (!isRecord(row)) throw invalidAnswer(where, 'a row is not an object');
  return {
    hash: hash32(row.hash, `${where} hash`),
    blockNumber: int(row.blockNumber, `${where} blockNumber`),
    position: row.transactionIndex === undefined || row.transactionIndex === '' ? -1 : int(row.transactionIndex, `${where} transactionIndex`),
  };
}

/**
 * The internal transfers of `txlistinternal` rows for one transaction: value-carrying rows that did not fail.
 * The trace position is the row's `traceId` (`0_1` becomes `0.1`); where the API gives none, rows are numbered in
 * its order as `#0`, `#1`, ... so that they are not mistaken for call-tree positions.
 * @throws CtraceError SOURCE_INVALID
 */
export function internalTransfersOfRows(rows: unknown[], where: string): InternalTransfer[] {
  const out: InternalTransfer[] = [];
  rows.forEach((row, i) => {
    const at = `${where} row ${i}`;
    if (!isRecord(row)) throw invalidAnswer(at, 'a row is not an object');
    if (row.isError === '1' || typeof row.value !== 'string' || !/^\d+$/.test(row.value)) {
      if (row.isError === '1') return;
      throw invalidAnswer(at, 'value is not a decimal integer');
    }
    const value = BigInt(row.value);
    if (value === 0n) return;
    const type = String(row.type ?? 'call').toLowerCase();
    const to = row.to === '' || row.to == null ? address(row.contractAddress, `${at} contractAddress`) : address(row.to, `${at} to`);
    const id = typeof row.traceId === 'string' && /^\d+(_\d+)*$/.test(row.traceId) ? row.traceId.replace(/_/g, '.') : `#${i}`;
    out.push({ traceAddress: id, from: address(row.from, `${at} from`), to, value, callType: type.startsWith('create') ? type : type === 'suicide' || type === 'selfdestruct' ? 'suicide' : 'call' });
  });
  return out;
}

/** Token metadata as `tokentx` rows state it (untrusted text, cleaned). */
export function tokenInfoOfRow(chain: string, row: Record<string, unknown>, where: string): TokenInfo {
  const decimals = typeof row.tokenDecimal === 'string' && /^\d{1,3}$/.test(row.tokenDecimal) && Number(row.tokenDecimal) <= 255 ? Number(row.tokenDecimal) : null;
  return {
    chain,
    address: address(row.contractAddress, `${where} contractAddress`),
    name: typeof row.tokenName === 'string' ? cleanText(row.tokenName) : null,
    symbol: typeof row.tokenSymbol === 'string' ? cleanText(row.tokenSymbol) : null,
    decimals,
  };
}
