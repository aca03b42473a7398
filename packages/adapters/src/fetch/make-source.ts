import { type Chain, CtraceError } from '@cryptotrace/core';
import type { HttpClientOptions } from '../http/client.js';
import { createBitcoinCoreRpcSource } from '../sources/bitcoin-core-rpc/source.js';
import { createEsploraSource } from '../sources/esplora/source.js';
import { createEvmRpcSource } from '../sources/evm-rpc/source.js';
import { createExplorerApiSource } from '../sources/explorer-api/source.js';
import type { ChainSource } from '../sources/source.js';

/** Where to fetch from, as the command line names it. */
export interface SourceSelection {
  /** Bitcoin Core-compatible JSON-RPC (UTXO chains) or EVM JSON-RPC (account chains); may carry user:password@. */
  rpcUrl?: string;
  /** Core's `.cookie` file. */
  rpcCookie?: string;
  rpcUser?: string;
  rpcPassword?: string;
  /** Esplora REST base URL (UTXO chains). */
  esploraUrl?: string;
  /** Etherscan-compatible account API (EVM chains). */
  explorerApiUrl?: string;
  explorerApiKey?: string;
  /** What the fetch needs: an address history, or spenders for forward hops. */
  needs?: { addressHistory?: boolean; spenders?: boolean };
  limits?: Pick<HttpClientOptions, 'concurrency' | 'rps' | 'timeoutMs' | 'retries' | 'onRetry' | 'maxResponseBytes' | 'signal'>;
  onNotice?: (message: string) => void;
}

/**
 * Pick and build the chain source for a chain from the URLs given. UTXO chains: Esplora when the fetch needs
 * what only Esplora answers (an address history, spenders) or when it is the only one given, Bitcoin Core RPC
 * otherwise. EVM chains: the Etherscan-compatible API for address histories when given, EVM JSON-RPC otherwise.
 * @throws CtraceError USAGE when no source fits
 */
export function selectSource(chain: Chain, sel: SourceSelection): ChainSource {
  const limits = sel.limits ?? {};
  const wantsIndex = Boolean(sel.needs?.addressHistory || sel.needs?.spenders);
  if (chain.kind === 'utxo') {
    if (sel.explorerApiUrl) throw new CtraceError('USAGE', `--explorer-api-url is for EVM chains; for ${chain.name} use --rpc-url or --esplora-url`);
    if (sel.esploraUrl && (wantsIndex || !sel.rpcUrl)) return createEsploraSource({ chain, url: sel.esploraUrl, ...limits });
    if (sel.rpcUrl) {
      return createBitcoinCoreRpcSource({ chain, url: sel.rpcUrl, cookieFile: sel.rpcCookie, user: sel.rpcUser, password: sel.rpcPassword, ...limits });
    }
    throw new CtraceError('USAGE', `no source for ${chain.name}: give --rpc-url (a Bitcoin Core-compatible node) or --esplora-url, or --offline to use the store only`);
  }
  if (sel.esploraUrl) throw new CtraceError('USAGE', `--esplora-url is for Bitcoin-family chains; for ${chain.name} use --rpc-url or --explorer-api-url`);
  if (sel.explorerApiUrl && (sel.needs?.addressHistory || !sel.rpcUrl)) {
    return createExplorerApiSource({ chain, url: sel.explorerApiUrl, apiKey: sel.explorerApiKey, rpcUrl: sel.rpcUrl, ...limits, onNotice: sel.onNotice });
  }
  if (sel.rpcUrl) return createEvmRpcSource({ chain, url: sel.rpcUrl, ...limits, onNotice: sel.onNotice });
  throw new CtraceError('USAGE', `no source for ${chain.name}: give --rpc-url (an EVM JSON-RPC node) or --explorer-api-url, or --offline to use the store only`);
}
