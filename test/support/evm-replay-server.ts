import { readFileSync, readdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A local JSON-RPC server that answers from recorded responses: ethereum-etl's `web3_response.<method>_<params>.json`
 * files (params flattened with `_`, object keys sorted, compared without case). `eth_getLogs` is answered the way
 * ethereum-etl recorded it, through its `eth_newFilter` and `eth_getFilterLogs` files. A request with no recording
 * gets JSON-RPC error -32601, as from a node that does not offer the method.
 */
export interface ReplayServer {
  url: string;
  /** Each request as `method params-json`, in order. */
  requests: string[];
  close(): Promise<void>;
}

function flatten(v: unknown): string[] {
  if (v === null || v === undefined) return ['none'];
  if (Array.isArray(v)) return v.flatMap(flatten);
  if (typeof v === 'object') return Object.keys(v as object).sort().flatMap((k) => [k, ...flatten((v as Record<string, unknown>)[k])]);
  return [String(v)];
}

/** The recording's key for a request: `method_param_param`, lower case. */
export function recordingKey(method: string, params: unknown[]): string {
  return `${method}_${flatten(params).join('_')}`.toLowerCase();
}

/**
 * Serve the recordings of one or more ethereum-etl resource folders on 127.0.0.1 (port picked by the OS), with
 * `overrides` replacing some answers.
 * @example const s = await startReplayServer([dir]); ...; await s.close()
 */
export async function startReplayServer(dirs: string[], overrides: Record<string, unknown> = {}): Promise<ReplayServer> {
  const recorded = new Map<string, unknown>();
  for (const dir of dirs) {
    for (const f of readdirSync(dir)) {
      const m = /^web3_response\.(.*)\.json$/.exec(f);
      if (m) recorded.set(m[1].toLowerCase(), (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { result: unknown }).result);
    }
  }
  // Tampered answers, for tests of inconsistent sources: the recording key (see recordingKey) and what to answer.
  for (const [k, v] of Object.entries(overrides)) recorded.set(k.toLowerCase(), v);
  const requests: string[] = [];
  const answer = (method: string, params: unknown[]): { result: unknown } | null => {
    if (method === 'eth_getLogs') {
      const id = recorded.get(recordingKey('eth_newFilter', params));
      return id === undefined ? null : answer('eth_getFilterLogs', [id]);
    }
    const key = recordingKey(method, params);
    return recorded.has(key) ? { result: recorded.get(key) } : null;
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const call = JSON.parse(body) as { id: number; method: string; params?: unknown[] };
      requests.push(`${call.method} ${JSON.stringify(call.params ?? [])}`);
      const a = answer(call.method, call.params ?? []);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(a ? { jsonrpc: '2.0', id: call.id, result: a.result } : { jsonrpc: '2.0', id: call.id, error: { code: -32601, message: `the method ${call.method} does not exist/is not available (no recording)` } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
