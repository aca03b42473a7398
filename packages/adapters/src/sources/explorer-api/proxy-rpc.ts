import type { EvmRpc } from '../evm-rpc/rpc.js';
import type { ExplorerApi } from './api.js';

/**
 * The few JSON-RPC methods the explorer's `module=proxy` answers, behind the EvmRpc interface, so that the EVM
 * decoders and the token-metadata reader work on an explorer alone.
 * @example await proxyRpc(api).call('eth_getTransactionByHash', [hash])
 */
export function proxyRpc(api: ExplorerApi, scrub: (t: string) => string = (t) => t): EvmRpc {
  return {
    locator: api.locator,
    name: api.name,
    scrub,
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      const p = params as [unknown, unknown];
      switch (method) {
        case 'eth_blockNumber':
          return (await api.proxy(method, {})) as T;
        case 'eth_getTransactionByHash':
        case 'eth_getTransactionReceipt':
          return (await api.proxy(method, { txhash: String(p[0]) })) as T;
        case 'eth_getBlockByNumber':
          return (await api.proxy(method, { tag: String(p[0]), boolean: String(Boolean(p[1])) })) as T;
        case 'eth_call': {
          const c = p[0] as { to: string; data: string };
          return (await api.proxy(method, { to: c.to, data: c.data, tag: String(p[1] ?? 'latest') })) as T;
        }
        default:
          throw new Error(`explorer proxy does not map ${method}`);
      }
    },
  };
}
