import type { Chain, Spender, UtxoTransaction } from '@cryptotrace/core';
import { decodeEsploraBlock, decodeEsploraTx, isEsploraTx } from '../../formats/esplora.js';
import { isObject } from '../../formats/json.js';
import { merkleRootOf } from '../../bitcoin/merkle.js';
import { type HttpClientOptions, createHttpClient } from '../../http/client.js';
import { SourceError, asSourceInvalid } from '../../http/errors.js';
import type { AddressHistoryPage, ChainSource, SourceRecords } from '../source.js';

export interface EsploraSourceOptions extends Omit<HttpClientOptions, 'source' | 'baseUrl'> {
  chain: Chain;
  /** The API base, e.g. `https://blockstream.info/api/`, `https://mempool.space/api/`, or a self-hosted Esplora. */
  url: string;
}

/** Esplora serves confirmed address history and block transactions 25 at a time. */
export const ESPLORA_PAGE = 25;

/**
 * A ChainSource on an Esplora REST API (Blockstream's and mempool.space's explorers, self-hosted Esplora):
 * `/tx/:txid`, `/tx/:txid/outspends`, `/address/:a/txs/chain[/:last_seen_txid]`, `/block/:hash`,
 * `/block/:hash/txs/:start`, `/block-height/:h`, `/blocks/tip/height`. Each transaction is re-serialized from
 * its fields and must hash to its txid; stated fees must add up; block pages must give the header's merkle root.
 * @throws SourceError SOURCE_UNREACHABLE, SOURCE_INVALID, NOT_FOUND
 * @example const src = createEsploraSource({ chain: getChain('bitcoin'), url: 'https://blockstream.info/api/' })
 */
export function createEsploraSource(options: EsploraSourceOptions): ChainSource {
  const { chain, url, ...limits } = options;
  const http = createHttpClient({ ...limits, source: 'esplora', baseUrl: url });
  const name = `esplora ${http.locator}`;
  const invalid = (request: string, what: string) => new SourceError('SOURCE_INVALID', 'inconsistent', name, request, `${what}; nothing of it was stored`);

  function decodeTxs(list: unknown, request: string): UtxoTransaction[] {
    if (!Array.isArray(list)) throw invalid(request, 'expected a list of transactions');
    try {
      return list.map((t) => {
        if (!isEsploraTx(t)) throw invalid(request, 'an entry is not an Esplora transaction');
        return decodeEsploraTx(t, chain, name);
      });
    } catch (err) {
      throw asSourceInvalid(err, name, request);
    }
  }

  async function blockAt(hash: string): Promise<SourceRecords> {
    const request = `GET block/${hash}`;
    const json = await http.getJson(`block/${hash}`);
    if (!isObject(json) || json.id !== hash) throw invalid(request, `answered with block ${String(isObject(json) ? json.id : json)}, not ${hash}`);
    let header;
    try {
      header = decodeEsploraBlock(json, chain, name);
    } catch (err) {
      throw asSourceInvalid(err, name, request);
    }
    const txs: UtxoTransaction[] = [];
    while (txs.length < header.txCount) {
      const page = decodeTxs(await http.getJson(`block/${hash}/txs/${txs.length}`), `GET block/${hash}/txs/${txs.length}`);
      if (page.length === 0) break;
      txs.push(...page);
    }
    if (txs.length !== header.txCount || merkleRootOf(txs.map((t) => t.txid)) !== header.merkleRoot) {
      throw invalid(request, `its ${txs.length} transactions do not give the header's ${header.txCount} transactions and merkle root`);
    }
    const ref = { hash, height: header.height, time: header.time };
    return { blocks: [header], utxoTransactions: txs.map((t, position) => ({ ...t, block: ref, position })) };
  }

  return {
    chain,
    kind: 'esplora',
    locator: http.locator,
    format: 'esplora-json',
    capabilities: { addressHistory: true, spenders: true },
    async getTransaction(txid: string): Promise<SourceRecords> {
      const request = `GET tx/${txid}`;
      const [tx] = decodeTxs([await http.getJson(`tx/${txid}`)], request);
      if (tx.txid !== txid) throw invalid(request, `answered with transaction ${tx.txid}, not ${txid}`);
      return { utxoTransactions: [tx] };
    },
    async getBlock(hashOrHeight: string | number): Promise<SourceRecords> {
      const hash = typeof hashOrHeight === 'number' ? (await http.getText(`block-height/${hashOrHeight}`)).trim() : hashOrHeight;
      if (!/^[0-9a-f]{64}$/.test(hash)) throw invalid(`GET block-height/${hashOrHeight}`, 'the answer is not a block hash');
      const records = await blockAt(hash);
      if (typeof hashOrHeight === 'number' && records.blocks?.[0].height !== hashOrHeight) throw invalid(`GET block/${hash}`, `block is at height ${String(records.blocks?.[0].height)}, not ${hashOrHeight}`);
      return records;
    },
    async tipHeight(): Promise<number> {
      const text = (await http.getText('blocks/tip/height')).trim();
      if (!/^\d+$/.test(text)) throw invalid('GET blocks/tip/height', 'the answer is not a height');
      return Number(text);
    },
    async getAddressHistory(address: string, cursor: string | null): Promise<AddressHistoryPage> {
      const path = `address/${address}/txs/chain${cursor ? `/${cursor}` : ''}`;
      let bytes = 0;
      const txs = decodeTxs(await http.getJson(path, { onSize: (n) => (bytes = n) }), `GET ${path}`);
      const stranger = txs.find((t) => !t.outputs.some((o) => o.address === address) && !t.inputs.some((i) => i.address === address));
      if (stranger) throw invalid(`GET ${path}`, `lists transaction ${stranger.txid}, which does not touch ${address}`);
      return { records: { utxoTransactions: txs }, txids: txs.map((t) => t.txid), next: txs.length < ESPLORA_PAGE ? null : txs[txs.length - 1].txid, bytes };
    },
    async getSpenders(txid: string): Promise<(Spender | null)[]> {
      const request = `GET tx/${txid}/outspends`;
      const list = await http.getJson(`tx/${txid}/outspends`);
      if (!Array.isArray(list)) throw invalid(request, 'expected a list of outspends');
      return list.map((o, k) => {
        if (!isObject(o) || typeof o.spent !== 'boolean') throw invalid(request, `entry ${k} is not an outspend`);
        if (!o.spent) return null;
        if (typeof o.txid !== 'string' || !/^[0-9a-f]{64}$/.test(o.txid) || typeof o.vin !== 'number') throw invalid(request, `entry ${k} is spent but names no spending input`);
        return { txid: o.txid, inputIndex: o.vin };
      });
    },
  };
}
