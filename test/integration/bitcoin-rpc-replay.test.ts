import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBitcoinCoreRpcSource, fetchNeighbourhood, openSqliteStore } from '@cryptotrace/adapters';
import { type UtxoTransaction, getChain } from '@cryptotrace/core';
import { tempDir } from '../support/cli.js';
import { hasShared, needs, shared } from '../support/shared.js';
import { type SourceServer, sendJson, startSourceServer } from '../support/source-server.js';

// blockchain-etl's own test recordings of Bitcoin Core JSON-RPC answers (mainnet blocks 0, 1, 50000-50002), served
// back by a local JSON-RPC server, must give exactly the transactions of the expected_transactions.json beside them.
// The server answers only what was recorded; a call that was not recorded (getblock verbosity 3, getblockheader)
// gets Core's "Method not found" (-32601), which the source handles as a node without that call.
const REL = 'data/bitcoin/bitcoin-etl/tests/resources/test_export_blocks_job/bitcoin';
const chain = getChain('bitcoin');
type Etl = Record<string, unknown> & { hash: string; inputs: Record<string, unknown>[]; outputs: Record<string, unknown>[] };

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

describe.skipIf(!hasShared(REL))(needs(REL, 'Bitcoin Core RPC replay of blockchain-etl recordings'), () => {
  let server: SourceServer;
  const recorded = new Map<string, string>();

  beforeAll(async () => {
    for (const dir of readdirSync(shared(REL))) {
      for (const f of readdirSync(join(shared(REL), dir))) {
        const m = /^rpc_response_(.+)\.json$/.exec(f);
        if (m) recorded.set(m[1], readFileSync(join(shared(REL), dir, f), 'utf8'));
      }
    }
    server = await startSourceServer((req, res) => {
      const call = JSON.parse(req.body) as { id: number; method: string; params: unknown[] };
      // blockchain-etl names its recordings <method>_<param>[_<verbosity>]; getrawtransaction drops its `true`.
      const params = call.method === 'getrawtransaction' ? [call.params[0]] : call.params;
      const text = recorded.get([call.method, ...params].join('_'));
      if (text === undefined) return sendJson(res, { result: null, error: { code: -32601, message: 'Method not found (not recorded)' }, id: call.id }, 404);
      sendJson(res, `{"result":${text},"error":null,"id":${call.id}}`);
    });
  });
  afterAll(() => server?.close());

  /** Our holder convention: P2PK outputs are `p2pk:<P2PKH form>`, where blockchain-etl lists the P2PKH form. */
  const holder = (io: Record<string, unknown>) => {
    const addresses = (io.addresses as string[]) ?? [];
    if (io.type === 'pubkey') return { address: null, scriptId: `p2pk:${addresses[0]}` };
    if (addresses.length === 1) return { address: addresses[0], scriptId: null };
    return { address: null, scriptId: null };
  };

  it.each(['block_0', 'block_1', 'block_without_transactions', 'block_with_transactions', 'stream_50001_50002'])('default: %s gives the expected transactions field by field', async (dir) => {
    const expectedTxs = lines(join(shared(REL), dir, 'expected_transactions.json')) as Etl[];
    const heights = (lines(join(shared(REL), dir, 'expected_blocks.json')) as { number: number }[]).map((b) => b.number);
    // The stream export enriches inputs with their previous outputs (getrawtransaction); the single-block ones do not.
    const resolveInputs = expectedTxs.some((t) => t.inputs.some((i) => i.value !== null));
    const store = openSqliteStore(join(tempDir(), 'replay.db'), { create: true });
    const source = createBitcoinCoreRpcSource({ chain, url: `${server.url}/`, retries: 0 });
    const s = await fetchNeighbourhood(store, source, { chain, target: { kind: 'blocks', from: Math.min(...heights), to: Math.max(...heights) }, resolveInputs });
    expect(s.missing).toEqual([]);
    expect(s.fetchedBlocks).toBe(heights.length);

    const inBlocks = [...store.iterateUtxoTransactions('bitcoin')].filter((t) => t.block?.height !== null && heights.includes(t.block!.height!));
    expect(inBlocks.map((t) => t.txid).sort()).toEqual(expectedTxs.map((t) => t.hash).sort());
    for (const e of expectedTxs) {
      const tx = store.getTransaction('bitcoin', e.hash) as UtxoTransaction;
      expect({ block: tx.block, position: tx.position, version: tx.version, locktime: tx.locktime, size: tx.size, vsize: tx.vsize }).toEqual({
        block: { hash: e.block_hash, height: e.block_number, time: e.block_timestamp }, position: e.index, version: e.version, locktime: e.lock_time, size: e.size, vsize: e.virtual_size,
      });
      expect(tx.outputs.map((o) => ({ index: o.index, value: o.value, address: o.address, scriptId: o.scriptId }))).toEqual(
        e.outputs.map((o) => ({ index: o.index, value: BigInt(o.value as number), ...holder(o) })));
      if (e.is_coinbase) {
        expect(tx.inputs).toHaveLength(1);
        expect(tx.inputs[0].coinbase).toBe(true);
        continue;
      }
      expect(tx.inputs.map((i) => ({ index: i.index, prevTxid: i.prevTxid, prevVout: i.prevVout, sequence: i.sequence, value: i.value, resolved: i.resolved }))).toEqual(
        e.inputs.map((i) => ({ index: i.index, prevTxid: i.spent_transaction_hash, prevVout: i.spent_output_index, sequence: i.sequence, value: i.value === null ? null : BigInt(i.value as number), resolved: i.value !== null })));
      for (const [k, i] of e.inputs.entries()) if (i.value !== null) expect({ address: tx.inputs[k].address, scriptId: tx.inputs[k].scriptId }).toEqual(holder(i));
      if (e.fee !== undefined && resolveInputs) {
        const fee = tx.inputs.reduce((a, i) => a + (i.value ?? 0n), 0n) - tx.outputs.reduce((a, o) => a + o.value, 0n);
        expect(fee).toBe(BigInt(e.fee as number));
      }
    }
    const blocks = lines(join(shared(REL), dir, 'expected_blocks.json')) as { hash: string; number: number; merkle_root: string; transaction_count: number; timestamp: number }[];
    for (const b of blocks) expect(store.getBlock('bitcoin', b.number)).toMatchObject({ hash: b.hash, merkleRoot: b.merkle_root, txCount: b.transaction_count, time: b.timestamp });
    store.close();
  });

  it('error: a recorded block served for another hash is rejected whole', async () => {
    const asked = '000000002066d7f9b134c30b5005b7bf5fbfa52f279883f1fde793dcdc964266';
    const served = recorded.get('getblock_000000001c920d495e1eeef2452b6d1c6c229a919b28196c103ecffebabee141_2');
    expect(served && existsSync(shared(REL))).toBeTruthy();
    const saved = recorded.get(`getblock_${asked}_2`)!;
    recorded.set(`getblock_${asked}_2`, served!);
    try {
      const source = createBitcoinCoreRpcSource({ chain, url: `${server.url}/`, retries: 0 });
      await expect(source.getBlock(asked)).rejects.toThrow(/getblock 000000002066.*: answered with block 000000001c920d49.*, not 000000002066.*; nothing of it was stored/);
    } finally {
      recorded.set(`getblock_${asked}_2`, saved);
    }
  });

  /** Serve a changed recording for one call, for the length of `body`. */
  async function withRecording(key: string, change: (text: string) => string, body: () => Promise<void>): Promise<void> {
    const saved = recorded.get(key)!;
    recorded.set(key, change(saved));
    try {
      await body();
    } finally {
      recorded.set(key, saved);
    }
  }
  const HASH_50001 = '000000001c920d495e1eeef2452b6d1c6c229a919b28196c103ecffebabee141';

  it('error: a value beside the hex that the hex does not say is rejected whole', async () => {
    await withRecording(`getblock_${HASH_50001}_2`, (t) => t.replace('"value": 50.0', '"value": 50.00000001'), async () => {
      const store = openSqliteStore(join(tempDir(), 'bad.db'), { create: true });
      const source = createBitcoinCoreRpcSource({ chain, url: `${server.url}/`, retries: 0 });
      const err = await fetchNeighbourhood(store, source, { chain, target: { kind: 'block', block: 50001 } }).catch((e) => e);
      expect(err.code).toBe('SOURCE_INVALID');
      expect(err.shortMessage).toMatch(/getblock 000000001c920d49.* tx 0: output 0 is stated as 5000000001 but its hex says 5000000000; the values do not add up; nothing of it was stored/);
      expect(store.stats()).toMatchObject({ transactions: 0, blocks: 0 });
      store.close();
    });
  });

  it('error: a truncated recording is malformed JSON, rejected with the request named', async () => {
    await withRecording(`getblock_${HASH_50001}_2`, (t) => t.slice(0, 500), async () => {
      const source = createBitcoinCoreRpcSource({ chain, url: `${server.url}/`, retries: 0 });
      const err = await source.getBlock(HASH_50001).catch((e) => e);
      expect(err.code).toBe('SOURCE_INVALID');
      expect(err.shortMessage).toMatch(/^bitcoin-core-rpc http:\/\/127\.0\.0\.1:\d+\/: POST getblock \["000000001c920d49.*: not valid JSON/);
    });
  });
});
