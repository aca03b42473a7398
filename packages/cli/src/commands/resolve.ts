import type { CaseStore } from '@cryptotrace/core';
import { CtraceError, DEFAULT_CHAIN, chainOfAddressForm, getChain, normalizeAddress, normalizeHash } from '@cryptotrace/core';
import { safeText } from '../output.js';

/*
 * The one place where an address, a txid or a txid:vout named on the command line becomes what the store is asked
 * about. Every command resolves its arguments here, so the same text finds the same record everywhere (a P2PKH
 * address also finds its key's pay-to-pubkey coins), and a record the store does not hold is NOT_FOUND (exit 1)
 * everywhere, with the same line.
 */

/**
 * The chain and normalized id of a transaction named on the command line: --chain when given, else the one
 * chain of the store that holds it, else the default chain. Does not check that it is stored (see {@link storedTx}).
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

/**
 * The chain and normalized form of an address named on the command line (checksum checked). A P2PKH address whose
 * key the store holds only as pay-to-pubkey coins resolves to `p2pk:<address>`, with or without --chain.
 * Does not check that it is stored (see {@link storedAddress}).
 * @throws CtraceError CHAIN_UNKNOWN, ADDRESS_INVALID, USAGE (held on several chains)
 */
export function resolveAddressArg(store: CaseStore, address: string, chainFlag?: string): { chain: string; address: string } {
  const text = address.trim();
  const p2pk = (a: string) => (!/^0x/i.test(a) && !a.includes(':') ? `p2pk:${a}` : null);
  if (chainFlag) {
    const chain = getChain(chainFlag);
    const normalized = normalizeAddress(chain, text);
    const key = chain.kind === 'utxo' ? p2pk(normalized) : null;
    if (key && !store.chainsOfAddress(normalized).includes(chain.name) && store.chainsOfAddress(key).includes(chain.name)) return { chain: chain.name, address: key };
    return { chain: chain.name, address: normalized };
  }
  let stored = store.chainsOfAddress(text);
  // A P2PKH address also names its key's pay-to-pubkey outputs, which are stored under p2pk:<address>.
  const key = p2pk(text);
  if (stored.length === 0 && key && store.chainsOfAddress(key).length > 0) {
    const chains = store.chainsOfAddress(key);
    if (chains.length === 1) return { chain: chains[0], address: normalizeAddress(getChain(chains[0]), key) };
    stored = chains;
  }
  if (stored.length > 1) throw new CtraceError('USAGE', `address ${safeText(text)} is stored on ${stored.join(' and ')}: name one with --chain`);
  // Not stored: the chain its form names (a bech32 prefix, upper case too), else the default chain.
  const chain = stored[0] ?? (/^0x/i.test(text) ? 'ethereum' : (chainOfAddressForm(text) ?? DEFAULT_CHAIN));
  const normalized = normalizeAddress(getChain(chain), text);
  if (stored.length === 0 && normalized !== text) {
    const again = store.chainsOfAddress(normalized);
    if (again.length === 1) return { chain: again[0], address: normalized };
    const againKey = p2pk(normalized);
    if (again.length === 0 && againKey && store.chainsOfAddress(againKey).length === 1) return { chain: store.chainsOfAddress(againKey)[0], address: againKey };
  }
  return { chain, address: normalized };
}

/** The line (and exit 1) for an address the store holds nothing of. */
export function addressNotFound(db: string, chain: string, address: string): CtraceError {
  return new CtraceError('NOT_FOUND', `address ${safeText(address)} has no transactions in ${db} (${chain}): ingest or fetch them first`);
}

/** The line (and exit 1) for a transaction the store does not hold. */
export function txNotFound(db: string, chain: string, txid: string): CtraceError {
  return new CtraceError('NOT_FOUND', `transaction ${txid} is not in ${db} (${chain}): ingest or fetch it first`);
}

/** {@link resolveAddressArg}, and the address must be in the store. @throws CtraceError NOT_FOUND when it is not */
export function storedAddress(store: CaseStore, db: string, address: string, chainFlag?: string): { chain: string; address: string } {
  const r = resolveAddressArg(store, address, chainFlag);
  if (!store.chainsOfAddress(r.address).includes(r.chain)) throw addressNotFound(db, r.chain, r.address);
  return r;
}

/** {@link resolveTxArg}, and the transaction must be in the store. @throws CtraceError NOT_FOUND when it is not */
export function storedTx(store: CaseStore, db: string, txid: string, chainFlag?: string): { chain: string; txid: string } {
  const r = resolveTxArg(store, txid, chainFlag);
  if (!store.chainsOfTransaction(r.txid).includes(r.chain)) throw txNotFound(db, r.chain, r.txid);
  return r;
}

const OUTPOINT = /^((?:0x)?[0-9a-fA-F]{64}):(\d+)$/;
const TXID = /^(0x)?[0-9a-fA-F]{64}$/;

/** True when the text has the shape of a txid (64 hex digits, 0x allowed). */
export const looksLikeTxid = (text: string): boolean => TXID.test(text.trim());
/** True when the text has the shape of txid:vout. */
export const looksLikeOutpoint = (text: string): boolean => OUTPOINT.test(text.trim());

/**
 * An output named as txid:vout: its transaction must be stored and have that output (UTXO chains).
 * @throws CtraceError NOT_FOUND when the transaction or the output is not in the store
 */
export function storedOutpoint(store: CaseStore, db: string, text: string, chainFlag?: string): { chain: string; txid: string; vout: number } {
  const m = OUTPOINT.exec(text.trim());
  if (!m) throw new CtraceError('USAGE', `"${safeText(text)}" is not txid:vout`);
  const r = storedTx(store, db, m[1], chainFlag);
  const vout = Number(m[2]);
  const tx = store.getTransaction(r.chain, r.txid);
  if (tx && 'outputs' in tx && !tx.outputs.some((o) => o.index === vout)) {
    throw new CtraceError('NOT_FOUND', `transaction ${r.txid} (${r.chain}) has no output ${vout}: it has ${tx.outputs.length} (0 to ${tx.outputs.length - 1})`);
  }
  return { ...r, vout };
}
