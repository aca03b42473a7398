import { bitcoinjs } from './bitcoinjs.js';
import type { ScriptType, UtxoNetwork, UtxoOutput } from '@cryptotrace/core';
import { base58Check } from './base58.js';
import { hash160Of, sha256Of } from './hashes.js';

/** What an output script says about who can spend it. */
export interface ScriptInfo {
  scriptType: ScriptType;
  address: string | null;
  scriptId: string | null;
}

const OP_0 = 0x00;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_RETURN = 0x6a;
const OP_DUP = 0x76;
const OP_HASH160 = 0xa9;
const OP_EQUAL = 0x87;
const OP_EQUALVERIFY = 0x88;
const OP_CHECKSIG = 0xac;
const OP_CHECKMULTISIG = 0xae;

/**
 * Classify an output script the way Bitcoin Core's Solver does, and give its address (Core's encoding) or,
 * for a spendable script without one, a stable script id. OP_RETURN outputs get neither.
 * @example classifyScript(Buffer.from('0014...', 'hex'), network).scriptType // 'p2wpkh'
 */
export function classifyScript(script: Uint8Array, network: UtxoNetwork): ScriptInfo {
  const n = script.length;
  if (n === 25 && script[0] === OP_DUP && script[1] === OP_HASH160 && script[2] === 20 && script[23] === OP_EQUALVERIFY && script[24] === OP_CHECKSIG) {
    return withAddress('p2pkh', base58Check(network.pubKeyHash, script.subarray(3, 23)));
  }
  if (n === 23 && script[0] === OP_HASH160 && script[1] === 20 && script[22] === OP_EQUAL) {
    return withAddress('p2sh', base58Check(network.scriptHash, script.subarray(2, 22)));
  }
  const witness = witnessProgram(script);
  if (witness) {
    const { version, program } = witness;
    if (network.bech32 === null) return withScriptId('nonstandard', script);
    const address = bitcoinjs().address.toBech32(program, version, network.bech32);
    if (version === 0 && program.length === 20) return withAddress('p2wpkh', address);
    if (version === 0 && program.length === 32) return withAddress('p2wsh', address);
    if (version === 1 && program.length === 32) return withAddress('p2tr', address);
    if (version === 0) return withScriptId('nonstandard', script);
    return withAddress('witness_unknown', address);
  }
  if (n > 0 && script[0] === OP_RETURN) return { scriptType: 'nulldata', address: null, scriptId: null };
  const pubkey = payToPubkey(script);
  if (pubkey) {
    return { scriptType: 'p2pk', address: null, scriptId: p2pkIdOfPubkey(pubkey, network) };
  }
  if (isMultisig(script)) return withScriptId('multisig', script);
  return withScriptId('nonstandard', script);
}

/**
 * An output of the model from its script: classified (classifyScript), an OP_RETURN output keeping its script.
 * @example outputOfScript(0, 1000n, script, network).scriptType
 */
export function outputOfScript(index: number, value: bigint, script: Uint8Array, network: UtxoNetwork): UtxoOutput {
  const o: UtxoOutput = { index, value, ...classifyScript(script, network) };
  if (o.scriptType === 'nulldata') o.nulldata = Buffer.from(script).toString('hex');
  return o;
}

/** The P2PKH address that stands for a public key in `p2pk:` script ids. */
export function p2pkIdOfPubkey(pubkey: Uint8Array, network: UtxoNetwork): string {
  return `p2pk:${base58Check(network.pubKeyHash, hash160Of(pubkey))}`;
}

/** `script:` + the first 20 bytes of sha256(script), hex. */
export function scriptIdOf(script: Uint8Array): string {
  return `script:${sha256Of(script).toString('hex', 0, 20)}`;
}

function withAddress(scriptType: ScriptType, address: string): ScriptInfo {
  return { scriptType, address, scriptId: null };
}

function withScriptId(scriptType: ScriptType, script: Uint8Array): ScriptInfo {
  return { scriptType, address: null, scriptId: scriptIdOf(script) };
}

function witnessProgram(script: Uint8Array): { version: number; program: Uint8Array } | null {
  const n = script.length;
  if (n < 4 || n > 42) return null;
  const op = script[0];
  if (op !== OP_0 && (op < OP_1 || op > OP_16)) return null;
  if (script[1] + 2 !== n) return null;
  return { version: op === OP_0 ? 0 : op - OP_1 + 1, program: script.subarray(2) };
}

export function validPubkey(key: Uint8Array): boolean {
  if (key.length === 33) return key[0] === 2 || key[0] === 3;
  if (key.length === 65) return key[0] === 4 || key[0] === 6 || key[0] === 7;
  return false;
}

function payToPubkey(script: Uint8Array): Uint8Array | null {
  const n = script.length;
  if ((n === 35 || n === 67) && script[0] === n - 2 && script[n - 1] === OP_CHECKSIG) {
    const key = script.subarray(1, n - 1);
    return validPubkey(key) ? key : null;
  }
  return null;
}

export function isMultisig(script: Uint8Array): boolean {
  const n = script.length;
  if (n < 3 || script[n - 1] !== OP_CHECKMULTISIG) return false;
  const m = smallInt(script[0]);
  const total = smallInt(script[n - 2]);
  if (m === null || total === null || m < 1 || total < m) return false;
  let pos = 1;
  let keys = 0;
  while (pos < n - 2) {
    const len = script[pos];
    const key = script.subarray(pos + 1, pos + 1 + len);
    if (key.length !== len || !validPubkey(key)) return false;
    pos += 1 + len;
    keys++;
  }
  return pos === n - 2 && keys === total;
}

function smallInt(op: number): number | null {
  return op >= OP_1 && op <= OP_16 ? op - OP_1 + 1 : null;
}
