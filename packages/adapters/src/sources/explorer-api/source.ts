import { type AccountTransaction, type Chain, CtraceError, type TokenInfo, getChain, normalizeEvmAddress, normalizeHash } from '@cryptotrace/core';
import { SourceError } from '../../http/errors.js';
import type { AddressHistoryPage, ChainSource, SourceRecords } from '../source.js';
import { type EvmBlock, decodeBlockTransactions, readBlock } from '../evm-rpc/decode-block.js';
import { hash32, invalidAnswer, isRecord, smallQuantity, toQuantity } from '../evm-rpc/hex.js';
import { createEvmRpcSource } from '../evm-rpc/source.js';
import { fetchTokenInfo } from '../evm-rpc/token-info.js';
import { type ExplorerApiOptions, createExplorerApi } from './api.js';
import { proxyRpc } from './proxy-rpc.js';
import { type RowRef, internalTransfersOfRows, rowRef, tokenInfoOfRow } from './rows.js';

export interface ExplorerApiSourceOptions extends ExplorerApiOptions {
  chain: string | Chain;
  /** An EVM JSON-RPC node to fetch whole transactions and blocks from (traces included); else the API's proxy module. */
  rpcUrl?: string;
  /** Rows per page of txlist, txlistinternal and tokentx (default 1000). */
  pageSize?: number;
  /** The most rows the API pages through per list, page x offset (default 10,000, Etherscan's). */
  resultWindow?: number;
  onNotice?: (message: string) => void;
}

/** The lists of an address's history, in the order the pages walk them. */
const LISTS = ['txlist', 'txlistinternal', 'tokentx'] as const;

/**
 * An Etherscan-compatible account API as a chain source: an address's history from `txlist`, `txlistinternal` and
 * `tokentx` (newest first, paged; past the APIs' 10,000-row window the next pages narrow `endblock`), each listed
 * transaction fetched whole, from `rpcUrl` when given, else through the API's proxy module and `txlistinternal`
 * by hash. The API key is sent as `apikey` and never shown or stored.
 * @throws CtraceError CHAIN_UNKNOWN, USAGE; SourceError on fetches
 * @example createExplorerApiSource({ chain: 'ethereum', url: 'https://api.etherscan.io/v2/api?chainid=1', apiKey })
 */
export function createExplorerApiSource(options: ExplorerApiSourceOptions): ChainSource {
  const { chain: chainName, rpcUrl, pageSize = 1000, resultWindow = 10_000, onNotice = () => {}, ...apiOptions } = options;
  const chain = typeof chainName === 'string' ? getChain(chainName) : chainName;
  if (chain.kind !== 'account') throw new CtraceError('USAGE', `--explorer-api-url is for EVM chains, not ${chain.name}`);
  const api = createExplorerApi(apiOptions);
  const rpc = proxyRpc(api);
  const { url: _u, apiKey: _k, rateLimitRetries: _r, ...limits } = apiOptions;
  const node = rpcUrl ? createEvmRpcSource({ ...limits, chain, url: rpcUrl, onNotice }) : null;
  const knownTokens = new Set<string>();

  async function tokensOf(txs: AccountTransaction[]): Promise<TokenInfo[]> {
    const fresh = [...new Set(txs.flatMap((t) => t.tokenTransfers.map((x) => x.token)))].filter((t) => !knownTokens.has(t));
    for (const t of fresh) knownTokens.add(t);
    return Promise.all(fresh.map((t) => fetchTokenInfo(rpc, chain.name, t)));
  }

  /** Decode the transactions of `block` (all, or one) with their receipts and the API's internal transactions. */
  async function decode(block: EvmBlock, receipts: unknown[], internalRows: unknown[], where: string): Promise<SourceRecords> {
    const byHash = new Map<string, unknown[]>();
    for (const row of internalRows) {
      const h = isRecord(row) && typeof row.hash === 'string' ? row.hash.toLowerCase() : String(block.transactions[0]?.hash).toLowerCase();
      byHash.set(h, [...(byHash.get(h) ?? []), row]);
    }
    const txs = decodeBlockTransactions(chain.name, block, receipts, where);
    for (const tx of txs) if (tx.status === 'success') tx.internalTransfers = internalTransfersOfRows(byHash.get(tx.hash) ?? [], `${where} txlistinternal`);
    return { accountTransactions: txs, tokens: await tokensOf(txs) };
  }

  async function getTransaction(txid: string): Promise<SourceRecords> {
    if (node) return node.getTransaction(txid);
    const hash = normalizeHash(chain, txid);
    const where = `${api.name} proxy eth_getTransactionByHash ${hash}`;
    const tx = await rpc.call<unknown>('eth_getTransactionByHash', [hash]);
    if (tx === null) throw new SourceError('NOT_FOUND', 'not-found', api.name, `proxy eth_getTransactionByHash ${hash}`, 'the explorer does not know this transaction');
    if (!isRecord(tx) || hash32(tx.hash, where) !== hash) throw invalidAnswer(where, 'the answer is another transaction');
    if (tx.blockNumber == null) throw new SourceError('NOT_FOUND', 'not-found', api.name, `proxy eth_getTransactionByHash ${hash}`, 'the transaction is pending, not mined yet');
    const [header, receipt, internal] = await Promise.all([
      rpc.call('eth_getBlockByNumber', [tx.blockNumber, false]),
      rpc.call('eth_getTransactionReceipt', [hash]),
      api.account('txlistinternal', { txhash: hash }),
    ]);
    const head = readBlock(isRecord(header) ? { ...header, transactions: [] } : header, `${api.name} proxy eth_getBlockByNumber ${String(tx.blockNumber)}`);
    return decode({ ...head, transactions: [tx] }, [receipt], internal, where);
  }

  async function getBlock(hashOrHeight: string | number): Promise<SourceRecords> {
    if (node) return node.getBlock(hashOrHeight);
    const n = Number(hashOrHeight);
    if (!Number.isSafeInteger(n) || n < 0) throw new CtraceError('USAGE', `the explorer API fetches blocks by number only, not "${String(hashOrHeight).slice(0, 70)}": give --rpc-url for block hashes`);
    const where = `${api.name} proxy eth_getBlockByNumber ${n}`;
    const raw = await rpc.call('eth_getBlockByNumber', [toQuantity(n), true]);
    if (raw === null) throw new SourceError('NOT_FOUND', 'not-found', api.name, `proxy eth_getBlockByNumber ${n}`, 'the explorer does not know this block');
    const block = readBlock(raw, where);
    const receipts = await Promise.all(block.transactions.map((t) => rpc.call('eth_getTransactionReceipt', [t.hash])));
    const internal = block.transactions.length ? await api.account('txlistinternal', { startblock: n, endblock: n, sort: 'asc' }) : [];
    return decode(block, receipts, internal, where);
  }

  async function getAddressHistory(address: string, cursor: string | null): Promise<AddressHistoryPage> {
    const addr = normalizeEvmAddress(address);
    const m = cursor === null ? ['', 'txlist', '1', ''] : /^(txlist|txlistinternal|tokentx):(\d+):(\d*)$/.exec(cursor);
    if (!m) throw new CtraceError('USAGE', `history cursor "${String(cursor).slice(0, 40)}" is not one this source wrote`);
    const [, list, pageText, endText] = m;
    const page = Number(pageText);
    const where = `${api.name} ${list} ${addr} page ${page}`;
    const params: Record<string, string | number> = { address: addr, startblock: 0, endblock: endText === '' ? 99_999_999 : Number(endText), page, offset: pageSize, sort: 'desc' };
    const rows = await api.account(list, params);
    const refs: RowRef[] = rows.map((r, i) => rowRef(r, `${where} row ${i}`));
    const tokenInfos = list === 'tokentx' ? rows.map((r, i) => tokenInfoOfRow(chain.name, r as Record<string, unknown>, `${where} row ${i}`)) : [];
    for (const t of tokenInfos) knownTokens.add(t.address);

    const seen = new Set<string>();
    const records: Required<Pick<SourceRecords, 'accountTransactions' | 'tokens'>> = { accountTransactions: [], tokens: [...new Map(tokenInfos.map((t) => [t.address, t])).values()] };
    for (const ref of refs) {
      if (seen.has(ref.hash)) continue;
      seen.add(ref.hash);
      const r = await getTransaction(ref.hash);
      records.accountTransactions.push(...(r.accountTransactions ?? []));
      records.tokens.push(...(r.tokens ?? []));
    }
    return { records, txids: records.accountTransactions.map((t) => t.hash), next: nextCursor(list, page, refs, endText) };
  }

  function nextCursor(list: string, page: number, refs: RowRef[], endText: string): string | null {
    const following = LISTS[LISTS.indexOf(list as (typeof LISTS)[number]) + 1];
    const nextList = following ? `${following}:1:` : null;
    if (refs.length < pageSize) return nextList;
    if ((page + 1) * pageSize <= resultWindow) return `${list}:${page + 1}:${endText}`;
    // The API will not page past its window: go on below the oldest block seen (that block is asked again whole).
    const lowest = Math.min(...refs.map((r) => r.blockNumber));
    if (endText !== '' && lowest >= Number(endText)) {
      onNotice(`${api.name} lists more than ${resultWindow} ${list} rows in block ${lowest}: the rest of that block is skipped`);
      return lowest > 0 ? `${list}:1:${lowest - 1}` : nextList;
    }
    return `${list}:1:${lowest}`;
  }

  return {
    chain,
    kind: 'explorer-api',
    locator: api.locator,
    format: 'etherscan-json',
    capabilities: { addressHistory: true, spenders: false },
    getTransaction,
    getBlock,
    async tipHeight() {
      return node ? node.tipHeight() : smallQuantity(await rpc.call('eth_blockNumber'), `${api.name} proxy eth_blockNumber`);
    },
    getAddressHistory,
  };
}
