import type { TokenTransfer } from '@cryptotrace/core';
import { address, hash32, invalidAnswer, isRecord, smallQuantity, topicAddress } from './hex.js';

/** keccak256("Transfer(address,address,uint256)"): the topic of ERC-20 (and ERC-721) Transfer events. */
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** A log as eth_getLogs and receipts give it, with the fields this module reads. */
export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  logIndex: string;
  transactionHash: string;
  blockNumber?: string;
  removed?: boolean;
}

/** A decoded ERC-20 transfer and the transaction that emitted it. */
export interface LoggedTokenTransfer extends TokenTransfer {
  txHash: string;
  blockNumber: number | null;
}

/**
 * Decode the ERC-20 Transfer events among logs. A Transfer with both addresses indexed (3 topics, one 32-byte word of
 * data) or none indexed (1 topic, three words, as some early tokens emit it) is ERC-20; one with 4 topics is an
 * ERC-721 transfer of a token id, not an amount, and is left out. Removed (reorged) logs are left out.
 * @param logs the `logs` of a receipt or the result of eth_getLogs
 * @param where the source and request, for error messages
 * @returns the transfers in log order
 * @throws CtraceError SOURCE_INVALID when a Transfer log is malformed
 * @example decodeTokenTransfers(receipt.logs, 'evm-rpc http://node eth_getBlockReceipts 0x10')
 */
export function decodeTokenTransfers(logs: unknown, where: string): LoggedTokenTransfer[] {
  if (!Array.isArray(logs)) throw invalidAnswer(where, 'logs is not an array');
  const out: LoggedTokenTransfer[] = [];
  for (const log of logs) {
    if (!isRecord(log) || !Array.isArray(log.topics)) throw invalidAnswer(where, 'a log has no topics');
    if (log.removed === true || String(log.topics[0]).toLowerCase() !== TRANSFER_TOPIC) continue;
    const at = `${where} log ${String(log.logIndex)}`;
    const words = dataWords(log.data, at);
    const topics = log.topics as string[];
    let parts: [string, string, string];
    if (topics.length === 3 && words.length === 1) parts = [topics[1], topics[2], words[0]];
    else if (topics.length === 1 && words.length === 3) parts = [words[0], words[1], words[2]];
    else continue;
    out.push({
      token: address(log.address, at),
      from: topicAddress(parts[0], at),
      to: topicAddress(parts[1], at),
      value: BigInt(parts[2]),
      logIndex: smallQuantity(log.logIndex, at),
      txHash: hash32(log.transactionHash, at),
      blockNumber: log.blockNumber === undefined || log.blockNumber === null ? null : smallQuantity(log.blockNumber, at),
    });
  }
  return out;
}

function dataWords(data: unknown, where: string): string[] {
  if (typeof data !== 'string' || !/^0x([0-9a-fA-F]{64})*$/.test(data)) {
    // A Transfer log whose data is not whole words is not one this decoder can read as ERC-20.
    if (typeof data === 'string' && /^0x[0-9a-fA-F]*$/.test(data)) return [];
    throw invalidAnswer(where, 'log data is not hex');
  }
  const words: string[] = [];
  for (let i = 2; i < data.length; i += 64) words.push(`0x${data.slice(i, i + 64)}`);
  return words;
}
