import type { ServerResponse } from 'node:http';
import { coinsToBase } from '@cryptotrace/adapters';
import type { Litecoind } from './litecoind.js';
import { type SeenRequest, type SourceServer, sendJson, startSourceServer } from './source-server.js';

/**
 * A STAND-IN for an Esplora server (no Esplora can run here): it serves the documented Esplora REST formats
 * (github.com/Blockstream/esplora/blob/master/API.md) computed from a real litecoind's chain, so the data is
 * real and only the API layer is ours. It indexes the chain once at start (and on `reindex()`): transactions,
 * address histories (confirmed, newest first, 25 per page with `/txs/chain/:last_seen_txid`), outspends and
 * blocks (25 transactions per page). `fault` lets a test break chosen requests.
 */
export interface EsploraStandIn extends SourceServer {
  /** Base URL to give the Esplora source: `http://127.0.0.1:<port>/api/`. */
  api: string;
  reindex(): Promise<void>;
  /** Intercept a request before it is answered; return true when the fault answered it. */
  fault: ((req: SeenRequest, res: ServerResponse, path: string) => boolean | Promise<boolean>) | null;
  /** Esplora JSON of a transaction, as served. */
  txJson(txid: string): Record<string, unknown>;
}

type CoreTx = { txid: string; hex: string; version: number; locktime: number; size: number; weight: number; vin: Record<string, any>[]; vout: { value: number; n: number; scriptPubKey: { hex: string; type: string; addresses?: string[] } }[] };
interface Indexed { json: Record<string, unknown>; height: number; position: number }

const PAGE = 25;
const sats = (v: number) => Number(coinsToBase(v.toFixed(8), 8, 'stand-in'));

export async function startEsploraStandIn(node: Litecoind): Promise<EsploraStandIn> {
  let txs = new Map<string, Indexed>();
  let byAddress = new Map<string, string[]>();
  let spends = new Map<string, { txid: string; vin: number; height: number; hash: string; time: number }>();
  let blocks: { hash: string; height: number; json: Record<string, unknown>; txids: string[] }[] = [];

  async function reindex(): Promise<void> {
    const t = new Map<string, Indexed>();
    const a = new Map<string, string[]>();
    const sp = new Map<string, { txid: string; vin: number; height: number; hash: string; time: number }>();
    const bl: typeof blocks = [];
    const outs = new Map<string, { scriptpubkey: string; scriptpubkey_address?: string; scriptpubkey_type: string; value: number }>();
    const tip = await node.rpc<number>('getblockcount');
    for (let h = 0; h <= tip; h++) {
      const hash = await node.rpc<string>('getblockhash', [h]);
      const b = await node.rpc<Record<string, any>>('getblock', [hash, 2]);
      const status = { confirmed: true, block_height: h, block_hash: hash, block_time: b.time };
      (b.tx as CoreTx[]).forEach((tx, position) => {
        const touched = new Set<string>();
        const vout = tx.vout.map((o) => {
          const out = { scriptpubkey: o.scriptPubKey.hex, scriptpubkey_type: o.scriptPubKey.type, value: sats(o.value), ...(o.scriptPubKey.addresses?.length === 1 ? { scriptpubkey_address: o.scriptPubKey.addresses[0] } : {}) };
          outs.set(`${tx.txid}:${o.n}`, out);
          if (out.scriptpubkey_address) touched.add(out.scriptpubkey_address);
          return out;
        });
        let fee = 0;
        const vin = tx.vin.map((i, k) => {
          if (i.coinbase) return { txid: '0'.repeat(64), vout: 4294967295, prevout: null, scriptsig: i.coinbase, ...(i.txinwitness ? { witness: i.txinwitness } : {}), is_coinbase: true, sequence: i.sequence };
          const prevout = outs.get(`${i.txid}:${i.vout}`)!;
          fee += prevout.value;
          if (prevout.scriptpubkey_address) touched.add(prevout.scriptpubkey_address);
          sp.set(`${i.txid}:${i.vout}`, { txid: tx.txid, vin: k, height: h, hash, time: b.time });
          return { txid: i.txid, vout: i.vout, prevout, scriptsig: i.scriptSig.hex, ...(i.txinwitness ? { witness: i.txinwitness } : {}), is_coinbase: false, sequence: i.sequence };
        });
        const coinbase = tx.vin[0].coinbase !== undefined;
        fee = coinbase ? 0 : fee - vout.reduce((s, o) => s + o.value, 0);
        t.set(tx.txid, { height: h, position, json: { txid: tx.txid, version: tx.version, locktime: tx.locktime, vin, vout, size: tx.size, weight: tx.weight, fee, status } });
        for (const addr of touched) a.set(addr, [tx.txid, ...(a.get(addr) ?? [])]);
      });
      bl.push({ hash, height: h, txids: (b.tx as CoreTx[]).map((x) => x.txid), json: {
        id: hash, height: h, version: b.version, timestamp: b.time, tx_count: b.nTx, size: b.size, weight: b.weight, merkle_root: b.merkleroot,
        previousblockhash: b.previousblockhash ?? null, mediantime: b.mediantime, nonce: b.nonce, bits: Number.parseInt(b.bits, 16), difficulty: b.difficulty,
      } });
    }
    txs = t;
    byAddress = a;
    spends = sp;
    blocks = bl;
  }

  await reindex();
  const standIn = {} as EsploraStandIn;
  const server = await startSourceServer(async (req, res) => {
    const path = req.url.replace(/^\/api\//, '');
    if (standIn.fault && (await standIn.fault(req, res, path))) return;
    let m: RegExpExecArray | null;
    const notFound = (what: string) => { res.writeHead(404, { 'content-type': 'text/plain' }); res.end(what); };
    if ((m = /^tx\/([0-9a-f]{64})$/.exec(path))) return txs.has(m[1]) ? sendJson(res, txs.get(m[1])!.json) : notFound('Transaction not found');
    if ((m = /^tx\/([0-9a-f]{64})\/outspends$/.exec(path))) {
      const tx = txs.get(m[1]);
      if (!tx) return notFound('Transaction not found');
      return sendJson(res, (tx.json.vout as unknown[]).map((_o, n) => {
        const s = spends.get(`${m![1]}:${n}`);
        return s ? { spent: true, txid: s.txid, vin: s.vin, status: { confirmed: true, block_height: s.height, block_hash: s.hash, block_time: s.time } } : { spent: false };
      }));
    }
    if ((m = /^address\/([^/]+)\/txs\/chain(?:\/([0-9a-f]{64}))?$/.exec(path))) {
      const list = byAddress.get(m[1]) ?? [];
      const start = m[2] ? list.indexOf(m[2]) + 1 : 0;
      if (m[2] && start === 0) return sendJson(res, []);
      return sendJson(res, list.slice(start, start + PAGE).map((id) => txs.get(id)!.json));
    }
    if ((m = /^block-height\/(\d+)$/.exec(path))) {
      const b = blocks[Number(m[1])];
      if (!b) return notFound('Block not found');
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(b.hash);
    }
    if (path === 'blocks/tip/height') { res.writeHead(200, { 'content-type': 'text/plain' }); return res.end(String(blocks.length - 1)); }
    if ((m = /^block\/([0-9a-f]{64})(?:\/txs\/(\d+))?$/.exec(path))) {
      const b = blocks.find((x) => x.hash === m![1]);
      if (!b) return notFound('Block not found');
      if (m[2] === undefined) return sendJson(res, b.json);
      const start = Number(m[2]);
      return sendJson(res, b.txids.slice(start, start + PAGE).map((id) => txs.get(id)!.json));
    }
    notFound('unknown path');
  });
  return Object.assign(standIn, server, {
    api: `${server.url}/api/`,
    reindex,
    fault: null,
    txJson: (txid: string) => structuredClone(txs.get(txid)!.json),
  });
}
