import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A STAND-IN for an Etherscan-compatible account API (no real explorer can run here). It speaks the documented
 * format of `module=account` (`txlist`, `txlistinternal` by address, by txhash and by block range, `tokentx`) and
 * `module=proxy`, with `page`/`offset`/`sort`/`startblock`/`endblock` paging, a result window, `status`/`message`/
 * `result` envelopes, "No transactions found", "Invalid API Key" and one "Max rate limit reached". Its index is
 * built from a real anvil's blocks, receipts and traces; proxy calls are forwarded to that anvil.
 */
export interface EtherscanStandIn {
  url: string;
  /** Every request's query, for checks. */
  requests: URLSearchParams[];
  close(): Promise<void>;
}

type Row = Record<string, string>;

async function rpc(url: string, method: string, params: unknown[]): Promise<any> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await r.json()) as { result?: unknown; error?: unknown };
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const dec = (hex: string | null | undefined) => (hex == null ? '' : BigInt(hex).toString());
const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

/** Index blocks 1..tip of the anvil at `rpcUrl` the way an explorer would. */
async function index(rpcUrl: string, token: { name: string; symbol: string; decimals: number }) {
  const tip = Number(await rpc(rpcUrl, 'eth_blockNumber', []));
  const txs: Row[] = [];
  const internal: Row[] = [];
  const tokens: Row[] = [];
  for (let n = 1; n <= tip; n++) {
    const block = await rpc(rpcUrl, 'eth_getBlockByNumber', [`0x${n.toString(16)}`, true]);
    const traces = (await rpc(rpcUrl, 'trace_block', [`0x${n.toString(16)}`])) as any[];
    for (const tx of block.transactions) {
      const r = await rpc(rpcUrl, 'eth_getTransactionReceipt', [tx.hash]);
      const base = { blockNumber: String(n), timeStamp: dec(block.timestamp), hash: tx.hash, blockHash: block.hash, transactionIndex: dec(tx.transactionIndex) };
      txs.push({ ...base, nonce: dec(tx.nonce), from: tx.from, to: tx.to ?? '', value: dec(tx.value), gas: dec(tx.gas), gasPrice: dec(r.effectiveGasPrice), isError: r.status === '0x1' ? '0' : '1',
        txreceipt_status: r.status === '0x1' ? '1' : '0', input: tx.input, contractAddress: r.contractAddress ?? '', cumulativeGasUsed: dec(r.cumulativeGasUsed), gasUsed: dec(r.gasUsed), confirmations: String(tip - n + 1) });
      const failed = new Set<string>();
      for (const t of traces.filter((x) => x.transactionHash === tx.hash)) {
        const id = t.traceAddress.join('_');
        const parentFailed = t.traceAddress.length > 0 && failed.has(t.traceAddress.slice(0, -1).join('_'));
        if (t.error || parentFailed) failed.add(id);
        if (t.traceAddress.length === 0 || t.type !== 'call' || t.action.callType !== 'call' || BigInt(t.action.value) === 0n) continue;
        internal.push({ blockNumber: String(n), timeStamp: dec(block.timestamp), hash: tx.hash, from: t.action.from, to: t.action.to, value: dec(t.action.value), contractAddress: '', input: '',
          type: 'call', gas: dec(t.action.gas), gasUsed: dec(t.result?.gasUsed ?? '0x0'), traceId: id, isError: failed.has(id) ? '1' : '0', errCode: t.error ?? '' });
      }
      for (const log of r.logs) {
        if (log.topics[0] !== TRANSFER || log.topics.length !== 3) continue;
        tokens.push({ ...base, nonce: dec(tx.nonce), from: `0x${log.topics[1].slice(26)}`, to: `0x${log.topics[2].slice(26)}`, contractAddress: log.address, value: dec(log.data),
          tokenName: token.name, tokenSymbol: token.symbol, tokenDecimal: String(token.decimals), gas: dec(tx.gas), gasPrice: dec(r.effectiveGasPrice), gasUsed: dec(r.gasUsed), logIndex: dec(log.logIndex) });
      }
    }
  }
  return { txs, internal, tokens };
}

/**
 * Start the stand-in on 127.0.0.1 (port picked by the OS), indexing the anvil at `rpcUrl`.
 * @param apiKey the key it accepts (others get "Invalid API Key")
 * @param window its result window (page x offset), smaller than Etherscan's 10,000 to exercise the narrowing
 */
export async function startEtherscanStandIn(rpcUrl: string, { apiKey, window = 10_000, token }: { apiKey: string; window?: number; token: { name: string; symbol: string; decimals: number } }): Promise<EtherscanStandIn> {
  const data = await index(rpcUrl, token);
  const requests: URLSearchParams[] = [];
  let rateLimited = false;
  const server: Server = createServer(async (req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    requests.push(q);
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!req.url?.startsWith('/api?')) return send({ status: '0', message: 'NOTOK', result: 'Error! Missing Or invalid Module name' });
    if (q.get('apikey') !== apiKey) return send({ status: '0', message: 'NOTOK', result: 'Invalid API Key' });
    if (!rateLimited && q.get('action') === 'tokentx') {
      rateLimited = true;
      return send({ status: '0', message: 'NOTOK', result: 'Max rate limit reached' });
    }
    if (q.get('module') === 'proxy') {
      const action = q.get('action') as string;
      const params = action === 'eth_getBlockByNumber' ? [q.get('tag'), q.get('boolean') === 'true'] : action === 'eth_call' ? [{ to: q.get('to'), data: q.get('data') }, q.get('tag') ?? 'latest'] : action === 'eth_blockNumber' ? [] : [q.get('txhash')];
      try {
        return send({ jsonrpc: '2.0', id: 1, result: await rpc(rpcUrl, action, params) });
      } catch (e) {
        return send({ jsonrpc: '2.0', id: 1, error: { code: -32000, message: String((e as Error).message) } });
      }
    }
    const action = q.get('action');
    const list = action === 'txlist' ? data.txs : action === 'txlistinternal' ? data.internal : action === 'tokentx' ? data.tokens : null;
    if (!list) return send({ status: '0', message: 'NOTOK', result: 'Error! Missing Or invalid Action name' });
    const txhash = q.get('txhash');
    if (txhash) {
      // By transaction hash Etherscan lists the rows without hash and traceId.
      const rows = list.filter((r) => r.hash === txhash.toLowerCase()).map(({ hash: _h, traceId: _t, ...rest }) => rest);
      return send(rows.length ? { status: '1', message: 'OK', result: rows } : { status: '0', message: 'No transactions found', result: [] });
    }
    const address = q.get('address')?.toLowerCase();
    const start = Number(q.get('startblock') ?? 0);
    const end = Number(q.get('endblock') ?? 99_999_999);
    const page = Number(q.get('page') ?? 1);
    const offset = Number(q.get('offset') ?? 10_000);
    if (page * offset > window) return send({ status: '0', message: 'NOTOK', result: `Result window is too large, PageNo x Offset size must be less than or equal to ${window}` });
    const desc = q.get('sort') === 'desc';
    const rows = list
      .filter((r) => (address === undefined || r.from === address || r.to === address) && Number(r.blockNumber) >= start && Number(r.blockNumber) <= end)
      .sort((a, b) => (Number(a.blockNumber) - Number(b.blockNumber) || Number(a.transactionIndex ?? 0) - Number(b.transactionIndex ?? 0)) * (desc ? -1 : 1))
      .slice((page - 1) * offset, page * offset);
    return send(rows.length ? { status: '1', message: 'OK', result: rows } : { status: '0', message: 'No transactions found', result: [] });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
