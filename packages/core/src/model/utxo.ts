/** Output script types, named as Bitcoin Core names them where it has a name. */
export type ScriptType =
  | 'p2pk'
  | 'p2pkh'
  | 'p2sh'
  | 'p2wpkh'
  | 'p2wsh'
  | 'p2tr'
  | 'multisig'
  | 'nulldata'
  | 'witness_unknown'
  | 'nonstandard';

/** Where a transaction was confirmed. */
export interface BlockRef {
  hash: string;
  /** Null while the block's place in the chain is not known (a lone raw block before BIP34). */
  height: number | null;
  /** Unix seconds. */
  time: number;
}

/** A block header as the store keeps it. */
export interface UtxoBlockHeader extends BlockRef {
  chain: string;
  prevHash: string;
  merkleRoot: string;
  version: number;
  bits: number;
  nonce: number;
  txCount: number;
}

export interface UtxoOutput {
  index: number;
  /** Base units (satoshi). */
  value: bigint;
  scriptType: ScriptType;
  /** The address as Bitcoin Core prints it, or null where the script has none (P2PK, bare multisig, OP_RETURN, non-standard). */
  address: string | null;
  /**
   * A stable id for a spendable script without an address: `p2pk:<P2PKH form of the key>` or
   * `script:<first 20 bytes of sha256(script), hex>`. Null when `address` is set or the output is unspendable.
   */
  scriptId: string | null;
  /**
   * An OP_RETURN output's whole script, hex: what data-carrier protocols and the Whirlpool TX0 detector read.
   * Absent for other outputs, and where the source or the store did not keep it.
   */
  nulldata?: string;
}

export interface UtxoInput {
  index: number;
  prevTxid: string;
  prevVout: number;
  sequence: number;
  coinbase: boolean;
  /**
   * The spent output's address: once the input is resolved, the previous output's; before, derived from the
   * spending data (the public key or redeem script a scriptSig or witness reveals) where it gives one.
   */
  address: string | null;
  scriptId: string | null;
  /** The spent output's value, once known. */
  value: bigint | null;
  /** True once the spent output's value (and holder, where it has one) are known. */
  resolved: boolean;
}

export interface UtxoTransaction {
  chain: string;
  txid: string;
  block: BlockRef | null;
  /** Position in its block, when known. */
  position: number | null;
  version: number;
  locktime: number;
  /** Serialized size and virtual size in bytes, when known. */
  size: number | null;
  vsize: number | null;
  inputs: UtxoInput[];
  outputs: UtxoOutput[];
}

/** A block with its transactions, as decoded from any source. */
export interface UtxoBlock {
  header: UtxoBlockHeader;
  transactions: UtxoTransaction[];
}

/** The graph identity of an input or output: its address, or its script id, or null for unspendable outputs. */
export function holderOf(io: { address: string | null; scriptId: string | null }): string | null {
  return io.address ?? io.scriptId;
}

export function isCoinbase(tx: UtxoTransaction): boolean {
  return tx.inputs.length === 1 && tx.inputs[0].coinbase;
}

/** Sum of output values. */
export function outputTotal(tx: UtxoTransaction): bigint {
  let s = 0n;
  for (const o of tx.outputs) s += o.value;
  return s;
}

/** Sum of input values, or null while any input is unresolved. Coinbase inputs count 0. */
export function inputTotal(tx: UtxoTransaction): bigint | null {
  let s = 0n;
  for (const i of tx.inputs) {
    if (i.coinbase) continue;
    if (i.value === null) return null;
    s += i.value;
  }
  return s;
}

/** The fee: inputs minus outputs; 0 for a coinbase, null while an input is unresolved. */
export function txFee(tx: UtxoTransaction): bigint | null {
  if (isCoinbase(tx)) return 0n;
  const inputs = inputTotal(tx);
  return inputs === null ? null : inputs - outputTotal(tx);
}

/** The all-zero prevout hash that coinbase inputs carry. */
export const COINBASE_PREV_TXID = '0'.repeat(64);
