import { type HttpClientOptions, createHttpClient } from '../../http/client.js';
import { SourceError } from '../../http/errors.js';
import { backoffDelay } from '../../http/rate.js';
import { redactUrl, secretsOfUrl } from '../../http/redact.js';
import { isRecord } from '../evm-rpc/hex.js';

export interface ExplorerApiOptions extends Omit<HttpClientOptions, 'source' | 'baseUrl'> {
  /**
   * The API endpoint as the explorer documents it: `https://api.etherscan.io/v2/api?chainid=1`,
   * `https://eth.blockscout.com/api`, ... Query parameters it carries are kept on every request.
   */
  url: string;
  /** The API key, sent as `apikey` and kept out of every message, the store and the logs. */
  apiKey?: string;
  /** Attempts when the API says its rate limit was reached in a 200 answer (default 4). */
  rateLimitRetries?: number;
}

/** An Etherscan-compatible account API (Etherscan, its sister sites, Blockscout's compatibility API). */
export interface ExplorerApi {
  readonly locator: string;
  /** `explorer-api <url without secrets>`. */
  readonly name: string;
  /** `module=account` actions: the `result` list, empty when the API says there is none. */
  account(action: string, params: Record<string, string | number>): Promise<unknown[]>;
  /** `module=proxy` actions (eth_getTransactionByHash, ...): the JSON-RPC `result`. */
  proxy(action: string, params: Record<string, string | number>): Promise<unknown>;
}

const NOTHING = /^no (transactions|records|internal transactions|token transfers)? ?found/i;
const RATE = /rate limit|too many|max calls/i;

/**
 * Connect to an Etherscan-compatible API over the shared HTTP client. Answers `{status, message, result}`: status
 * "1" is a result, status "0" with "No transactions found" an empty one, any other status "0" an error (a rate
 * limit answered with HTTP 200 is waited out and retried).
 * @example const api = createExplorerApi({ url: 'https://eth.blockscout.com/api' }); await api.account('txlist', { address })
 */
export function createExplorerApi(options: ExplorerApiOptions): ExplorerApi {
  const { url, apiKey, rateLimitRetries = 4, ...limits } = options;
  const base = new URL(url);
  // The client resolves paths against a directory: give it the endpoint's folder and ask for its last segment,
  // so that `/api` is asked as `/api?...`, not `/api/?...`.
  const dir = new URL('./', base);
  const endpoint = base.pathname.slice(dir.pathname.length);
  // The folder has no query: the secrets of the URL given (`?apikey=...`) are named to the client apart.
  const http = createHttpClient({ ...limits, source: 'explorer-api', baseUrl: dir.toString(), secrets: [...(limits.secrets ?? []), ...secretsOfUrl(url), ...(apiKey ? [apiKey] : [])] });
  const locator = redactUrl(url);
  const name = `explorer-api ${locator}`;
  const sleep = limits.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function get(params: Record<string, string | number>): Promise<Record<string, unknown>> {
    const q = new URLSearchParams(base.searchParams);
    for (const [k, v] of Object.entries(params)) q.set(k, String(v));
    if (apiKey) q.set('apikey', apiKey);
    const request = `${params.module} ${params.action} ${Object.entries(params).filter(([k]) => k !== 'module' && k !== 'action').map(([k, v]) => `${k}=${v}`).join(' ')}`;
    for (let attempt = 1; ; attempt++) {
      const body = await http.getJson(`${endpoint}?${q.toString()}`, { parse: JSON.parse });
      if (!isRecord(body)) throw new SourceError('SOURCE_INVALID', 'json', name, request, 'the answer is not a JSON object; nothing of it was stored');
      const says = typeof body.result === 'string' ? body.result : String(body.message ?? '');
      if (body.status === '0' && RATE.test(says)) {
        if (attempt > rateLimitRetries) throw new SourceError('SOURCE_UNREACHABLE', 'rate-limited', name, request, `rate-limited ("${http.scrub(says).slice(0, 80)}"), after ${attempt} attempts; lower --rps or add an API key`);
        const delayMs = backoffDelay(attempt, 1000, 30_000);
        limits.onRetry?.({ request, attempt, delayMs, reason: `${name}: rate-limited ("${http.scrub(says).slice(0, 80)}")` });
        await sleep(delayMs);
        continue;
      }
      return { ...body, request };
    }
  }

  return {
    locator,
    name,
    async account(action, params) {
      const body = await get({ module: 'account', action, ...params });
      if (Array.isArray(body.result) && (body.status === '1' || body.result.length === 0)) return body.result;
      if (body.status === '0' && NOTHING.test(String(body.message ?? ''))) return [];
      const says = http.scrub(String(typeof body.result === 'string' ? body.result : body.message ?? 'no result')).slice(0, 120);
      throw new SourceError('SOURCE_INVALID', 'rpc', name, String(body.request), `the API refused: ${says}${/key/i.test(says) ? ' (check --explorer-api-key)' : ''}`);
    },
    async proxy(action, params) {
      const body = await get({ module: 'proxy', action, ...params });
      if (isRecord(body.error)) throw new SourceError('SOURCE_INVALID', 'rpc', name, String(body.request), `RPC error ${String(body.error.code)}: ${http.scrub(String(body.error.message)).slice(0, 120)}`);
      if (!('result' in body) || body.status === '0') throw new SourceError('SOURCE_INVALID', 'rpc', name, String(body.request), `the API refused: ${http.scrub(String(body.result ?? body.message)).slice(0, 120)}`);
      return body.result;
    },
  };
}
