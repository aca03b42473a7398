import { type ErrorCode, getChain, isCtraceError } from '@cryptotrace/core';
import { move } from 'piscina';
import { decodeBlock } from '../bitcoin/block.js';
import { type PackedBlock, packBlock } from './packed-block.js';

/** A block to decode in a worker: its bytes (transferred), its chain, and where it came from for messages. */
export interface DecodeTask {
  bytes: Uint8Array;
  chain: string;
  where: string;
}

/** What the worker found wrong with a block: the CtraceError decodeBlock threw, as plain data. */
export interface DecodeFault {
  code: ErrorCode;
  shortMessage: string;
  details?: string;
}

/**
 * Piscina's worker function (decode-blocks.ts runs it): decodeBlock without heights (the caller places the block,
 * heightInChain), packed into one transferred ArrayBuffer (packBlock).
 */
export default function decodeInWorker({ bytes, chain, where }: DecodeTask): PackedBlock | DecodeFault {
  try {
    return move(packBlock(decodeBlock(bytes, getChain(chain), { where }))) as unknown as PackedBlock;
  } catch (err) {
    if (!isCtraceError(err)) throw err;
    return { code: err.code, shortMessage: err.shortMessage, ...(err.details === undefined ? {} : { details: err.details }) };
  }
}
