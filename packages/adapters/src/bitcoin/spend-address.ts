import type { UtxoNetwork } from '@cryptotrace/core';
import { scriptPushes } from '@cryptotrace/core';
import { base58Check } from './base58.js';
import { bitcoinjs } from './bitcoinjs.js';
import { hash160Of, sha256Of } from './hashes.js';
import { isMultisig, validPubkey } from './script.js';

/** How an input's address was read from its spending data, as evidence names it. */
export type SpendKind = 'p2pkh' | 'p2wpkh' | 'p2sh-p2wpkh' | 'p2sh-p2wsh' | 'p2sh-multisig' | 'p2wsh-multisig';

/** A DER signature with its sighash byte (what a P2PKH or P2WPKH spend pushes first). */
function isSignature(b: Uint8Array): boolean {
  return b.length >= 9 && b.length <= 73 && b[0] === 0x30 && b[1] === b.length - 3;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The address an input spends from, read from its spending data alone: the public key a P2PKH scriptSig or a
 * P2WPKH witness reveals, the redeem script of a P2SH-P2WPKH, P2SH-P2WSH or P2SH multisig spend, the witness script
 * of a P2WSH multisig spend. Nested segwit spends are checked against their witness (the key or script must hash to
 * the program). P2PK, bare multisig and taproot spends reveal no address: null, as for anything not recognised.
 * @returns the address and how it was read, or null
 * @example spentAddress(scriptSig, [], network)?.address
 */
export function spentAddress(scriptSig: Uint8Array, witness: Uint8Array[], network: UtxoNetwork): { address: string; kind: SpendKind } | null {
  const { address } = bitcoinjs();
  if (witness.length > 0) {
    const last = witness[witness.length - 1];
    if (network.bech32 === null) return null;
    if (scriptSig.length === 0) {
      if (witness.length === 2 && isSignature(witness[0]) && last.length === 33 && validPubkey(last)) {
        return { address: address.toBech32(hash160Of(last), 0, network.bech32), kind: 'p2wpkh' };
      }
      if (witness.length >= 2 && witness[0].length === 0 && isMultisig(last)) {
        return { address: address.toBech32(sha256Of(last), 0, network.bech32), kind: 'p2wsh-multisig' };
      }
      return null;
    }
    const { pushes, standard } = scriptPushes(scriptSig);
    if (!standard || pushes.length !== 1) return null;
    const redeem = pushes[0];
    if (redeem.length === 22 && redeem[0] === 0x00 && redeem[1] === 0x14 && witness.length === 2 && validPubkey(last) && equal(hash160Of(last), redeem.subarray(2))) {
      return { address: base58Check(network.scriptHash, hash160Of(redeem)), kind: 'p2sh-p2wpkh' };
    }
    if (redeem.length === 34 && redeem[0] === 0x00 && redeem[1] === 0x20 && equal(sha256Of(last), redeem.subarray(2))) {
      return { address: base58Check(network.scriptHash, hash160Of(redeem)), kind: 'p2sh-p2wsh' };
    }
    return null;
  }
  if (scriptSig.length === 0) return null;
  const { pushes, standard } = scriptPushes(scriptSig);
  if (!standard) return null;
  if (pushes.length === 2 && isSignature(pushes[0]) && validPubkey(pushes[1])) {
    return { address: base58Check(network.pubKeyHash, hash160Of(pushes[1])), kind: 'p2pkh' };
  }
  if (pushes.length >= 3 && pushes[0].length === 0 && isMultisig(pushes[pushes.length - 1])) {
    return { address: base58Check(network.scriptHash, hash160Of(pushes[pushes.length - 1])), kind: 'p2sh-multisig' };
  }
  return null;
}
