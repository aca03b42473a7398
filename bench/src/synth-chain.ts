import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * A synthetic Bitcoin chain for the bench while no scenario generator is available: legacy-serialized blocks
 * (valid merkle roots, heights from bitcoin's genesis) whose transactions spend earlier outputs, 1 to 3 inputs,
 * 2 outputs of mixed script types (P2PKH, P2SH, P2WPKH, P2TR) with some address reuse. Deterministic per seed.
 */
export interface SynthOptions {
  transactions: number;
  txsPerBlock?: number;
  seed?: number;
}

const MAGIC = Buffer.from('f9beb4d9', 'hex');
const BITCOIN_GENESIS = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';
const SCRIPT_SIG = Buffer.alloc(107, 0x30);

interface Coin {
  txid: Buffer; // internal byte order
  vout: number;
  value: number;
}

function hash256(b: Buffer): Buffer {
  return createHash('sha256').update(createHash('sha256').update(b).digest()).digest();
}

function varint(n: number): Buffer {
  if (n < 0xfd) return Buffer.from([n]);
  if (n <= 0xffff) {
    const b = Buffer.alloc(3);
    b[0] = 0xfd;
    b.writeUInt16LE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = 0xfe;
  b.writeUInt32LE(n, 1);
  return b;
}

/** xorshift32: cheap and deterministic. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

function outputScript(kind: number, key: Buffer): Buffer {
  switch (kind) {
    case 0:
      return Buffer.concat([Buffer.from([0x76, 0xa9, 20]), key.subarray(0, 20), Buffer.from([0x88, 0xac])]);
    case 1:
      return Buffer.concat([Buffer.from([0xa9, 20]), key.subarray(0, 20), Buffer.from([0x87])]);
    case 2:
      return Buffer.concat([Buffer.from([0x00, 20]), key.subarray(0, 20)]);
    default:
      return Buffer.concat([Buffer.from([0x51, 32]), key]);
  }
}

function serializeTx(ins: { txid: Buffer; vout: number; script: Buffer }[], outs: { value: number; script: Buffer }[]): Buffer {
  const parts: Buffer[] = [Buffer.from([2, 0, 0, 0]), varint(ins.length)];
  for (const i of ins) {
    const pt = Buffer.alloc(36);
    i.txid.copy(pt, 0);
    pt.writeUInt32LE(i.vout >>> 0, 32);
    parts.push(pt, varint(i.script.length), i.script, Buffer.from([0xfd, 0xff, 0xff, 0xff]));
  }
  parts.push(varint(outs.length));
  for (const o of outs) {
    const v = Buffer.alloc(8);
    v.writeBigUInt64LE(BigInt(o.value));
    parts.push(v, varint(o.script.length), o.script);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

function merkleRoot(txids: Buffer[]): Buffer {
  let level = txids;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hash256(Buffer.concat([level[i], level[i + 1] ?? level[i]])));
    level = next;
  }
  return level[0];
}

/**
 * Write the chain as a blk*.dat file (magic, length, block).
 * @returns the number of blocks and transactions written
 */
export function writeSynthBlk(path: string, { transactions, txsPerBlock = 1000, seed = 8 }: SynthOptions): { blocks: number; transactions: number } {
  const rand = rng(seed);
  const fd = openSync(path, 'w');
  const pool: Coin[] = [];
  const keys: Buffer[] = [];
  let prev: Buffer = Buffer.from(BITCOIN_GENESIS, 'hex').reverse();
  let made = 0;
  let height = 0;
  const newKey = (): Buffer => {
    if (keys.length > 100 && rand() < 0.1) return keys[Math.floor(rand() * keys.length)];
    const k = createHash('sha256').update(`${seed}:${keys.length}`).digest();
    if (keys.length < 200_000) keys.push(k);
    return k;
  };
  while (made < transactions) {
    height++;
    const txs: Buffer[] = [];
    const txids: Buffer[] = [];
    const created: Coin[] = [];
    const heightPush = Buffer.alloc(4);
    heightPush.writeUInt32LE(height);
    const cb = serializeTx([{ txid: Buffer.alloc(32), vout: 0xffffffff, script: Buffer.concat([Buffer.from([3]), heightPush.subarray(0, 3), Buffer.alloc(20, 1)]) }], [{ value: 50e8, script: outputScript(0, newKey()) }]);
    txs.push(cb);
    txids.push(hash256(cb));
    created.push({ txid: txids[0], vout: 0, value: 50e8 });
    made++;
    while (txs.length < txsPerBlock && made < transactions && pool.length > 0) {
      const want = pool.length > 5000 ? 1 + Math.floor(rand() * 3) : 1;
      const ins: Coin[] = [];
      for (let k = 0; k < want && pool.length > 0; k++) {
        const at = Math.floor(rand() * pool.length);
        ins.push(pool[at]);
        pool[at] = pool[pool.length - 1];
        pool.pop();
      }
      const total = ins.reduce((s, c) => s + c.value, 0) - 1000;
      const pay = Math.max(1, Math.floor(total * (0.1 + rand() * 0.8)));
      const outs = [
        { value: pay, script: outputScript(Math.floor(rand() * 4), newKey()) },
        { value: Math.max(1, total - pay), script: outputScript(Math.floor(rand() * 4), newKey()) },
      ];
      const bytes = serializeTx(ins.map((c) => ({ txid: c.txid, vout: c.vout, script: SCRIPT_SIG })), outs);
      const txid = hash256(bytes);
      txs.push(bytes);
      txids.push(txid);
      outs.forEach((o, vout) => created.push({ txid, vout, value: o.value }));
      made++;
    }
    const header = Buffer.alloc(80);
    header.writeInt32LE(4, 0);
    prev.copy(header, 4);
    merkleRoot(txids).copy(header, 36);
    header.writeUInt32LE(1_600_000_000 + height * 600, 68);
    header.writeUInt32LE(0x207fffff, 72);
    const block = Buffer.concat([header, varint(txs.length), ...txs]);
    const frame = Buffer.alloc(8);
    MAGIC.copy(frame, 0);
    frame.writeUInt32LE(block.length, 4);
    writeSync(fd, frame);
    writeSync(fd, block);
    prev = hash256(header);
    pool.push(...created);
  }
  closeSync(fd);
  return { blocks: height, transactions: made };
}
