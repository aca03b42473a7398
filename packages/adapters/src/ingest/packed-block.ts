import { CtraceError, type ScriptType, type UtxoBlock, type UtxoInput, type UtxoOutput, type UtxoTransaction } from '@cryptotrace/core';

/**
 * A decoded block as one ArrayBuffer, so that a decoding worker hands it over by transfer instead of a structured
 * clone of thousands of small objects (which cost about what the decoding saved). Layout: four u32 counts (numbers,
 * values, strings, string bytes), the numbers (f64), the output values (i64), each string's end (u32), then the
 * strings' bytes (latin1: every string of a decoded block is ASCII, hex or an address). Read back in the order written.
 */
export type PackedBlock = ArrayBuffer;

const SCRIPT_TYPES = ['p2pk', 'p2pkh', 'p2sh', 'p2wpkh', 'p2wsh', 'p2tr', 'multisig', 'nulldata', 'witness_unknown', 'nonstandard'] as const satisfies readonly ScriptType[];
const COINBASE = 1;
const HAS_ADDRESS = 2;
const HAS_SCRIPT_ID = 4;
const HAS_NULLDATA = 8;

/**
 * Pack a block as decodeBlock returns it: every transaction of the header's chain and block, at its position,
 * inputs unresolved (no script id, no value).
 * @throws CtraceError INTERNAL for a block of another shape (a loaded or resolved one)
 */
export function packBlock({ header: h, transactions }: UtxoBlock): PackedBlock {
  const nums: number[] = [h.height ?? -1, h.time, h.version, h.bits, h.nonce, h.txCount, transactions.length];
  const values: bigint[] = [];
  const strs: string[] = [h.chain, h.hash, h.prevHash, h.merkleRoot];
  for (const [position, tx] of transactions.entries()) {
    if (tx.chain !== h.chain || tx.block?.hash !== h.hash || tx.position !== position || tx.size === null || tx.vsize === null) notDecoded(h.hash);
    strs.push(tx.txid);
    nums.push(tx.version, tx.locktime, tx.size, tx.vsize, tx.inputs.length, tx.outputs.length);
    for (const i of tx.inputs) {
      if (i.scriptId !== null || i.value !== null || i.resolved) notDecoded(h.hash);
      strs.push(i.prevTxid);
      if (i.address !== null) strs.push(i.address);
      nums.push(i.prevVout, i.sequence, (i.coinbase ? COINBASE : 0) | (i.address !== null ? HAS_ADDRESS : 0));
    }
    for (const o of tx.outputs) {
      const type = SCRIPT_TYPES.indexOf(o.scriptType);
      if (type < 0) notDecoded(h.hash);
      values.push(o.value);
      if (o.address !== null) strs.push(o.address);
      if (o.scriptId !== null) strs.push(o.scriptId);
      if (o.nulldata !== undefined) strs.push(o.nulldata);
      nums.push(type * 16 + (o.address !== null ? HAS_ADDRESS : 0) + (o.scriptId !== null ? HAS_SCRIPT_ID : 0) + (o.nulldata !== undefined ? HAS_NULLDATA : 0));
    }
  }
  let textBytes = 0;
  for (const s of strs) textBytes += s.length;
  const numsAt = 16;
  const valuesAt = numsAt + nums.length * 8;
  const endsAt = valuesAt + values.length * 8;
  const textAt = endsAt + strs.length * 4;
  const buffer = new ArrayBuffer(textAt + textBytes);
  new Uint32Array(buffer, 0, 4).set([nums.length, values.length, strs.length, textBytes]);
  new Float64Array(buffer, numsAt, nums.length).set(nums);
  new BigInt64Array(buffer, valuesAt, values.length).set(values);
  const ends = new Uint32Array(buffer, endsAt, strs.length);
  const text = Buffer.from(buffer, textAt, textBytes);
  let at = 0;
  for (const [k, s] of strs.entries()) {
    at += text.write(s, at, 'latin1');
    ends[k] = at;
  }
  return buffer;
}

/**
 * The block a PackedBlock holds. `place` gives its height (in its header and every transaction's place) from its
 * hash, its previous block's and the height it was packed with; by default that one.
 */
export function unpackBlock(buffer: PackedBlock, place?: (h: { hash: string; prevHash: string; height: number | null }) => number | null): UtxoBlock {
  const [numCount, valueCount, strCount, textBytes] = new Uint32Array(buffer, 0, 4);
  const nums = new Float64Array(buffer, 16, numCount);
  const values = new BigInt64Array(buffer, 16 + numCount * 8, valueCount);
  const ends = new Uint32Array(buffer, 16 + (numCount + valueCount) * 8, strCount);
  const text = Buffer.from(buffer, 16 + (numCount + valueCount) * 8 + strCount * 4, textBytes);
  let n = 0;
  let v = 0;
  let s = 0;
  const str = () => text.toString('latin1', s === 0 ? 0 : ends[s - 1], ends[s++]);
  const [chain, hash, prevHash, merkleRoot] = [str(), str(), str(), str()];
  const packed = nums[n] < 0 ? null : nums[n];
  n++;
  const height = place ? place({ hash, prevHash, height: packed }) : packed;
  const time = nums[n++];
  const block = { hash, height, time };
  const header = { chain, hash, height, time, prevHash, merkleRoot, version: nums[n++], bits: nums[n++], nonce: nums[n++], txCount: nums[n++] };
  const transactions: UtxoTransaction[] = new Array(nums[n++]);
  for (let position = 0; position < transactions.length; position++) {
    const txid = str();
    const [version, locktime, size, vsize] = [nums[n++], nums[n++], nums[n++], nums[n++]];
    const inputs: UtxoInput[] = new Array(nums[n++]);
    const outputs: UtxoOutput[] = new Array(nums[n++]);
    for (let index = 0; index < inputs.length; index++) {
      const prevTxid = str();
      const [prevVout, sequence, flags] = [nums[n++], nums[n++], nums[n++]];
      const address = flags & HAS_ADDRESS ? str() : null;
      inputs[index] = { index, prevTxid, prevVout, sequence, coinbase: (flags & COINBASE) !== 0, address, scriptId: null, value: null, resolved: false };
    }
    for (let index = 0; index < outputs.length; index++) {
      const flags = nums[n++];
      const o: UtxoOutput = { index, value: values[v++], scriptType: SCRIPT_TYPES[flags >> 4], address: flags & HAS_ADDRESS ? str() : null, scriptId: flags & HAS_SCRIPT_ID ? str() : null };
      if (flags & HAS_NULLDATA) o.nulldata = str();
      outputs[index] = o;
    }
    transactions[position] = { chain, txid, block, position, version, locktime, size, vsize, inputs, outputs };
  }
  return { header, transactions };
}

function notDecoded(hash: string): never {
  throw new CtraceError('INTERNAL', `block ${hash}: packBlock takes a block as decodeBlock returns it`);
}
