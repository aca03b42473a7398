import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, bech32m, createBase58check } from '@scure/base';
import { CtraceError } from '../errors.js';
import { CHAINS, type Chain, utxoNetwork } from './chain.js';

const base58check = createBase58check(sha256);

/**
 * Normalize an address for a chain, checking its checksum: bech32 in lower case, base58check as is,
 * EVM addresses in EIP-55 checksum form (a mixed-case input must carry a valid checksum).
 * Script ids (`p2pk:...`, `script:...`) pass through.
 * @throws CtraceError ADDRESS_INVALID
 * @example normalizeAddress(getChain('ethereum'), '0xd8da6bf26964af9d7eed9e03e53415d37aa96045')
 */
export function normalizeAddress(chain: Chain, input: string): string {
  const text = input.trim();
  if (chain.kind === 'account') return normalizeEvmAddress(text);
  if (/^p2pk:/.test(text)) return `p2pk:${normalizeAddress(chain, text.slice(5))}`;
  if (/^script:[0-9a-f]{40}$/.test(text)) return text;
  const net = utxoNetwork(chain);
  if (net.bech32 && text.toLowerCase().startsWith(`${net.bech32}1`)) return normalizeSegwit(chain, text);
  let payload: Uint8Array;
  try {
    payload = base58check.decode(text);
  } catch {
    const hrp = bech32Prefix(text);
    if (hrp !== null) {
      const owner = chainOfBech32Prefix(hrp);
      throw invalid(chain, input, owner ? `its bech32 prefix "${hrp}" is ${owner}'s, not ${chain.name}'s` : `its bech32 prefix "${hrp}" is not ${chain.name}'s (${net.bech32 ? `"${net.bech32}"` : 'it has none'})`);
    }
    throw invalid(chain, input, 'not a base58check address with a valid checksum');
  }
  const version = payload[0];
  const known = [net.pubKeyHash, net.scriptHash, ...(net.legacyScriptHash ?? [])];
  if (payload.length !== 21 || !known.includes(version)) throw invalid(chain, input, `version byte ${version} is not one of ${chain.name}'s`);
  return text;
}

/** The human-readable part of text shaped like a bech32 address (letters, `1`, then data characters), or null. */
function bech32Prefix(text: string): string | null {
  const m = /^([a-z]{1,83})1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{6,}$/i.exec(text);
  return m ? m[1].toLowerCase() : null;
}

/**
 * The chain whose bech32 addresses start with `prefix` + `1` (`bc`: bitcoin, `bcrt`: bitcoin-regtest, `ltc`: litecoin, ...).
 * @returns its name, or null when no known chain uses the prefix
 */
export function chainOfBech32Prefix(prefix: string): string | null {
  return CHAINS.find((c) => c.network?.bech32 === prefix.toLowerCase())?.name ?? null;
}

/** The chain an address names by its form alone: a bech32 prefix, or 0x for EVM; null when the form does not tell. */
export function chainOfAddressForm(address: string): string | null {
  const text = address.trim();
  if (/^0x[0-9a-f]{40}$/i.test(text)) return 'ethereum';
  const hrp = bech32Prefix(text);
  return hrp === null ? null : chainOfBech32Prefix(hrp);
}

function normalizeSegwit(chain: Chain, text: string): string {
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) throw invalid(chain, text, 'bech32 must not mix cases');
  // BIP350: witness version 0 uses bech32, versions 1 to 16 use bech32m.
  const decoded = bech32.decodeUnsafe(lower, 120) ?? bech32m.decodeUnsafe(lower, 120);
  if (!decoded) throw invalid(chain, text, 'bech32 checksum is wrong');
  const isM = !bech32.decodeUnsafe(lower, 120);
  if ((decoded.words[0] === 0) === isM) throw invalid(chain, text, 'wrong checksum variant for its witness version (BIP350)');
  const program = bech32.fromWords(decoded.words.slice(1));
  const version = decoded.words[0];
  if (version > 16 || program.length < 2 || program.length > 40 || (version === 0 && program.length !== 20 && program.length !== 32)) {
    throw invalid(chain, text, 'not a valid witness program');
  }
  return lower;
}

/** `0x` + 40 hex in EIP-55 mixed case. @throws CtraceError ADDRESS_INVALID */
export function normalizeEvmAddress(input: string): string {
  const text = input.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw new CtraceError('ADDRESS_INVALID', `"${clip(input)}" is not an EVM address: expected 0x and 40 hex digits`);
  const checksummed = toChecksumAddress(text);
  const body = text.slice(2);
  const mixed = body !== body.toLowerCase() && body !== body.toUpperCase();
  if (mixed && checksummed !== text) throw new CtraceError('ADDRESS_INVALID', `"${text}" has a wrong EIP-55 checksum: check the address or give it in lower case`);
  return checksummed;
}

/** EIP-55 checksum form of a 20-byte hex address. */
export function toChecksumAddress(hex: string): string {
  const lower = hex.toLowerCase().replace(/^0x/, '');
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    out += nibble >= 8 ? lower[i].toUpperCase() : lower[i];
  }
  return out;
}

/**
 * A transaction id or block hash: 64 hex digits, returned in lower case (an EVM hash keeps its 0x).
 * @throws CtraceError TXID_INVALID
 */
export function normalizeHash(chain: Chain, input: string): string {
  const text = input.trim().toLowerCase();
  const ok = chain.kind === 'account' ? /^0x[0-9a-f]{64}$/.test(text) : /^[0-9a-f]{64}$/.test(text);
  if (!ok) {
    const want = chain.kind === 'account' ? '0x and 64 hex digits' : '64 hex digits';
    throw new CtraceError('TXID_INVALID', `"${clip(input)}" is not a ${chain.name} transaction id: expected ${want}`);
  }
  return text;
}

function invalid(chain: Chain, input: string, why: string): CtraceError {
  return new CtraceError('ADDRESS_INVALID', `"${clip(input)}" is not a ${chain.name} address: ${why}`);
}

function clip(s: string): string {
  const safe = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return safe.length > 80 ? `${safe.slice(0, 77)}...` : safe;
}
