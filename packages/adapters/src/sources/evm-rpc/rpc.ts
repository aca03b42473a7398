import { type HttpClientOptions, NODE_MAX_RESPONSE_BYTES, createHttpClient } from '../../http/client.js';
import { SourceError } from '../../http/errors.js';
import { isRecord } from './hex.js';

export interface EvmRpcOptions extends Omit<HttpClientOptions, 'source' | 'baseUrl'> {
  /** The node's JSON-RPC URL; an API key in its path or query is kept out of every message. */
  url: string;
}

/** A JSON-RPC 2.0 caller for an EVM node, over the shared HTTP client (limits, retries, redaction). */
export interface EvmRpc {
  readonly locator: string;
  /** `evm-rpc <url without secrets>`: how messages name this source. */
  readonly name: string;
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  scrub(text: string): string;
}

/** A JSON-RPC error answer, with the node's numeric code. */
export class EvmRpcError extends SourceError {
  readonly rpcCode: number;
  constructor(source: string, request: string, rpcCode: number, message: string) {
    super('SOURCE_INVALID', 'rpc', source, request, `RPC error ${rpcCode}: ${message}`);
    this.rpcCode = rpcCode;
  }
}

/**
 * True when a node said it does not offer a method (-32601, or the wording nodes use for disabled namespaces),
 * so that a caller can fall back to another method.
 */
export function isUnsupported(err: unknown): boolean {
  if (!(err instanceof EvmRpcError)) return false;
  return err.rpcCode === -32601 || err.rpcCode === -32004 || /not (found|supported|available|enabled)|does not exist|unsupported|unknown method/i.test(err.shortMessage);
}

/**
 * Connect to an EVM node's JSON-RPC.
 * @example const rpc = createEvmRpc({ url: 'http://127.0.0.1:8545' }); await rpc.call('eth_blockNumber')
 */
export function createEvmRpc(options: EvmRpcOptions): EvmRpc {
  const { url, ...limits } = options;
  const http = createHttpClient({ maxResponseBytes: NODE_MAX_RESPONSE_BYTES, ...limits, source: 'evm-rpc', baseUrl: url });
  const name = `evm-rpc ${http.locator}`;
  let id = 0;
  return {
    locator: http.locator,
    name,
    scrub: http.scrub,
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      const request = `${method} ${JSON.stringify(params).slice(0, 100)}`;
      const body = await http.postJson('', { jsonrpc: '2.0', id: ++id, method, params }, { answerStatuses: [400, 404, 500], parse: JSON.parse });
      if (!isRecord(body) || !('result' in body || 'error' in body)) {
        throw new SourceError('SOURCE_INVALID', 'json', name, request, 'the answer is not a JSON-RPC response; nothing of it was stored');
      }
      if (isRecord(body.error)) {
        throw new EvmRpcError(name, request, Number(body.error.code), http.scrub(String(body.error.message ?? '')).slice(0, 200));
      }
      return body.result as T;
    },
  };
}
