import { CtraceError, chainByMagic, type Chain } from '@cryptotrace/core';

/** One block's bytes inside a blk*.dat file. */
export interface BlkFrame {
  chain: Chain;
  offset: number;
  bytes: Uint8Array;
}

/** A function that reads `length` bytes at `offset`, returning fewer at the end of the data. */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/**
 * Walk the magic + little-endian length framing of Bitcoin Core's blk*.dat files (btcd's too), one block at a
 * time so that memory stays at one block. Zero padding at the end (Core preallocates files) ends the walk.
 * `chain`, when given (the `--chain` of the command), picks among chains that share a magic and is the one every
 * frame must be of.
 * @throws CtraceError INPUT_MALFORMED on an unknown magic, a frame of another chain than `chain`, or a frame that
 * runs past the end of the data
 */
export function* readBlkFrames(readAt: ReadAt, size: number, where: string, chainName?: string): Generator<BlkFrame> {
  let offset = 0;
  let chain: Chain | undefined;
  while (offset + 8 <= size) {
    const head = readAt(offset, 8);
    const magic = Buffer.from(head.subarray(0, 4)).toString('hex');
    if (magic === '00000000') break;
    const frameChain = chainByMagic(magic, chainName);
    if (!frameChain) {
      throw new CtraceError('INPUT_MALFORMED', `${where} at byte ${offset}: network magic ${magic} is not one of a known chain (bitcoin f9beb4d9, testnet 0b110907, regtest fabfb5da, litecoin fbc0b6db, dogecoin c0c0c0c0); check the file, or pass --format raw-block for unframed blocks`);
    }
    if (chainName && frameChain.name !== chainName) {
      throw new CtraceError('INPUT_MALFORMED', `${where}: the file's network magic is ${frameChain.name}'s, but --chain ${chainName} was given`);
    }
    if (chain && frameChain.name !== chain.name) {
      throw new CtraceError('INPUT_MALFORMED', `${where} at byte ${offset}: magic of ${frameChain.name} in a file of ${chain.name}`);
    }
    chain = frameChain;
    const length = Buffer.from(head).readUInt32LE(4);
    if (length < 81 || offset + 8 + length > size) {
      throw new CtraceError('INPUT_MALFORMED', `${where} at byte ${offset}: block frame of ${length} bytes runs past the end of the file (${size} bytes); the file is truncated`);
    }
    yield { chain, offset, bytes: readAt(offset + 8, length) };
    offset += 8 + length;
  }
  if (offset < size && offset + 8 > size && !isZero(readAt(offset, size - offset))) {
    throw new CtraceError('INPUT_MALFORMED', `${where} at byte ${offset}: ${size - offset} stray bytes after the last block; the file is truncated`);
  }
}

/** True when the bytes start with a known blk*.dat magic. */
export function looksLikeBlk(head: Uint8Array): boolean {
  return head.length >= 8 && chainByMagic(Buffer.from(head.subarray(0, 4)).toString('hex')) !== undefined;
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}
