import { createRequire } from 'node:module';
import type { TokenInfo } from '@cryptotrace/core';
import type * as EthersAbi from 'ethers/abi';
import type { EvmRpc } from './rpc.js';

// ethers' ABI coder is loaded the first time a token's text is decoded: importing it with the package (which every
// ctrace command does) would cost every start of the CLI a tenth of a second.
let ethersAbi: typeof EthersAbi | undefined;
const abiCoder = () => (ethersAbi ??= createRequire(import.meta.url)('ethers/abi') as typeof EthersAbi).AbiCoder.defaultAbiCoder();

const SELECTORS = { name: '0x06fdde03', symbol: '0x95d89b41', decimals: '0x313ce567' } as const;
const MAX_TEXT = 100;

/**
 * Ask a token contract for its name, symbol and decimals (eth_call at the latest block). What a contract says is
 * untrusted text: control and bidirectional-override characters are removed and the text is clipped; `bytes32`
 * answers (early tokens such as MKR) are read as text too. What cannot be read is null, never a guess.
 * @example await fetchTokenInfo(rpc, 'ethereum', '0xdAC17F958D2ee523a2206206994597C13D831ec7')
 */
export async function fetchTokenInfo(rpc: EvmRpc, chain: string, token: string): Promise<TokenInfo> {
  const [name, symbol, decimals] = await Promise.all([call(rpc, token, SELECTORS.name), call(rpc, token, SELECTORS.symbol), call(rpc, token, SELECTORS.decimals)]);
  return { chain, address: token, name: decodeText(name), symbol: decodeText(symbol), decimals: decodeDecimals(decimals) };
}

async function call(rpc: EvmRpc, to: string, data: string): Promise<string | null> {
  try {
    const r = await rpc.call<unknown>('eth_call', [{ data, to: to.toLowerCase() }, 'latest']);
    return typeof r === 'string' ? r : null;
  } catch (err) {
    // A contract without the method reverts: that is an answer ("no name"), not a fault of the source.
    if ((err as { fault?: string }).fault === 'rpc') return null;
    throw err;
  }
}

/** An ABI `string`, or a `bytes32` holding text; null when it is neither. */
export function decodeText(data: string | null): string | null {
  if (data === null || !/^0x[0-9a-fA-F]*$/.test(data) || data.length < 66) return null;
  let text: string | null = null;
  try {
    text = abiCoder().decode(['string'], data)[0] as string;
  } catch {
    if (data.length === 66) text = Buffer.from(data.slice(2), 'hex').toString('utf8');
  }
  return text === null ? null : cleanText(text);
}

/** Untrusted text made safe to store and show: no control or direction-override characters, at most 100 characters. */
export function cleanText(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]/g, '').trim();
  return [...clean].slice(0, MAX_TEXT).join('');
}

function decodeDecimals(data: string | null): number | null {
  if (data === null || !/^0x[0-9a-fA-F]{64}$/.test(data)) return null;
  const n = BigInt(data);
  return n <= 255n ? Number(n) : null;
}
