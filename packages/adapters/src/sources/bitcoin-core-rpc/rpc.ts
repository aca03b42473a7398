import { readFileSync } from 'node:fs';
import { CtraceError } from '@cryptotrace/core';
import { type HttpClientOptions, NODE_MAX_RESPONSE_BYTES, createHttpClient } from '../../http/client.js';
import { SourceError } from '../../http/errors.js';
import { isObject } from '../../formats/json.js';

export interface CoreRpcOptions extends Omit<HttpClientOptions, 'source' | 'baseUrl'> {
  /** `http://[user:password@]host:port/` of a Bitcoin Core-compatible node. */
  url: string;
  /** The node's `.cookie` file (`__cookie__:<password>`), used when the URL carries no credentials. */
  cookieFile?: string;
  user?: string;
  password?: string;
}

/** A JSON-RPC 1.0 caller for Bitcoin Core and its forks (Litecoin, Dogecoin). */
export interface CoreRpc {
  readonly locator: string;
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>;
}

/** Core's RPC error codes that mean "no such thing" rather than a fault. */
const NOT_FOUND_CODES = new Set([-5, -8]);

/**
 * Connect to a Core-compatible node's JSON-RPC: credentials from the URL, `user`/`password`, or the cookie
 * file, sent as Basic auth and kept out of every message. RPC errors become SourceErrors: NOT_FOUND for
 * unknown transactions and blocks (-5, -8), SOURCE_INVALID otherwise.
 * @throws CtraceError USAGE when the cookie file cannot be read
 * @example const rpc = createCoreRpc({ url: 'http://127.0.0.1:8332/', cookieFile: '~/.bitcoin/.cookie' }); await rpc.call('getblockcount')
 */
export function createCoreRpc(options: CoreRpcOptions): CoreRpc {
  const { cookieFile, user, password, ...limits } = options;
  let url = options.url;
  const headers: Record<string, string> = { ...limits.headers };
  const secrets: string[] = [...(limits.secrets ?? [])];
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed && parsed.username && !parsed.password && password !== undefined) {
    // `http://user@host/` with the password given apart (from the environment): join them.
    parsed.password = encodeURIComponent(password);
    url = parsed.toString();
    secrets.push(password);
  }
  const inUrl = /^[a-z]+:\/\/[^/]*@/i.test(url);
  let auth: string | null = null;
  if (!inUrl && user !== undefined) auth = `${user}:${password ?? ''}`;
  else if (!inUrl && cookieFile !== undefined) auth = readCookie(cookieFile);
  if (auth !== null) {
    headers.authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
    secrets.push(auth.slice(auth.indexOf(':') + 1));
  }
  const http = createHttpClient({ maxResponseBytes: NODE_MAX_RESPONSE_BYTES, ...limits, source: 'bitcoin-core-rpc', baseUrl: url, headers, secrets });
  let id = 0;
  return {
    locator: http.locator,
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      const request = `${method} ${JSON.stringify(params).slice(0, 100)}`;
      const body = await http.postJson('', { jsonrpc: '1.0', id: ++id, method, params }, { answerStatuses: [404, 500] });
      if (!isObject(body) || !('result' in body || 'error' in body)) {
        throw new SourceError('SOURCE_INVALID', 'json', `bitcoin-core-rpc ${http.locator}`, request, 'the answer is not a JSON-RPC response; nothing of it was stored');
      }
      const error = body.error;
      if (isObject(error)) {
        const code = Number(error.code);
        const message = http.scrub(String(error.message ?? '')).slice(0, 200);
        if (NOT_FOUND_CODES.has(code)) throw new SourceError('NOT_FOUND', 'not-found', `bitcoin-core-rpc ${http.locator}`, request, `not found (RPC error ${code}: ${message})`);
        const hint = code === -32601 ? '; the node does not offer this method' : code === -28 ? '; the node is still starting, try again shortly' : '';
        throw new SourceError('SOURCE_INVALID', 'rpc', `bitcoin-core-rpc ${http.locator}`, request, `RPC error ${code}: ${message}${hint}`);
      }
      return body.result as T;
    },
  };
}

function readCookie(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (cause) {
    throw new CtraceError('USAGE', `cannot read the RPC cookie file ${path}: check the path (the node writes it to its datadir while it runs)`, { cause });
  }
  if (!text.includes(':')) throw new CtraceError('USAGE', `${path} is not an RPC cookie file (expected user:password on one line)`);
  return text;
}
