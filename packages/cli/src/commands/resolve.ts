import type { CaseStore } from '@cryptotrace/core';
import { CtraceError, DEFAULT_CHAIN, chainOfAddressForm, getChain, normalizeAddress, normalizeHash } from '@cryptotrace/core';

/**
 * The chain and normalized id of a transaction named on the command line: --chain when given, else the one
 * chain of the store that holds it, else the default chain.
 * @throws CtraceError CHAIN_UNKNOWN, TXID_INVALID, USAGE (held on several chains)
 */
export function resolveTxArg(store: CaseStore, txid: string, chainFlag?: string): { chain: string; txid: string } {
  if (chainFlag) return { chain: chainFlag, txid: normalizeHash(getChain(chainFlag), txid) };
  const guess = /^0x/i.test(txid.trim()) ? getChain('ethereum') : getChain(DEFAULT_CHAIN);
  const id = normalizeHash(guess, txid);
  const chains = store.chainsOfTransaction(id);
  if (chains.length > 1) throw new CtraceError('USAGE', `transaction ${id} is stored on ${chains.join(' and ')}: name one with --chain`);
  return { chain: chains[0] ?? guess.name, txid: id };
}

/** The chain and normalized form of an address named on the command line (checksum checked). */
export function resolveAddressArg(store: CaseStore, address: string, chainFlag?: string): { chain: string; address: string } {
  if (chainFlag) return { chain: chainFlag, address: normalizeAddress(getChain(chainFlag), address) };
  const text = address.trim();
  let stored = store.chainsOfAddress(text);
  // A P2PKH address also names its key's pay-to-pubkey outputs, which are stored under p2pk:<address>.
  if (stored.length === 0 && !/^0x/i.test(text) && !text.includes(':') && store.chainsOfAddress(`p2pk:${text}`).length > 0) {
    const chains = store.chainsOfAddress(`p2pk:${text}`);
    if (chains.length === 1) return { chain: chains[0], address: normalizeAddress(getChain(chains[0]), `p2pk:${text}`) };
    stored = chains;
  }
  if (stored.length > 1) throw new CtraceError('USAGE', `address ${text} is stored on ${stored.join(' and ')}: name one with --chain`);
  // Not stored: the chain its form names (a bech32 prefix, upper case too), else the default chain.
  const chain = stored[0] ?? (/^0x/i.test(text) ? 'ethereum' : (chainOfAddressForm(text) ?? DEFAULT_CHAIN));
  const normalized = normalizeAddress(getChain(chain), text);
  if (stored.length === 0 && normalized !== text) {
    const again = store.chainsOfAddress(normalized);
    if (again.length === 1) return { chain: again[0], address: normalized };
  }
  return { chain, address: normalized };
}
