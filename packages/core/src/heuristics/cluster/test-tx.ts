import type { ScriptType, UtxoOutput, UtxoTransaction } from '../../model/utxo.js';
import { COINBASE_PREV_TXID } from '../../model/utxo.js';
import { holderScriptType } from '../change/holder-type.js';

/**
 * [holder, value] of an input or output; holder null for an unresolved input or an OP_RETURN output; value null
 * for an unresolved input whose holder was derived from its spending data.
 */
export type IoSpec = [holder: string | null, value: bigint | number | null];

export interface TxSpec {
  txid?: string;
  chain?: string;
  height?: number;
  ins?: IoSpec[];
  outs?: IoSpec[];
  coinbase?: boolean;
  version?: number;
  locktime?: number;
  sequence?: number;
  size?: number | null;
  vsize?: number | null;
  /** Outpoints the inputs spend, as 'txid:vout' (default distinct made-up ones). */
  spends?: string[];
  /** The OP_RETURN outputs' scripts, hex, in output order (default: none kept). */
  nulldata?: string[];
}

let counter = 0;

/**
 * A hand-made UTXO transaction for tests and examples: holders are any strings (a `p2pk:` or `script:` prefix
 * makes a script id), values in base units.
 * @example makeTx({ ins: [['1A', 5000]], outs: [['1B', 3000], ['1C', 1900]] })
 */
export function makeTx(spec: TxSpec): UtxoTransaction {
  const txid = spec.txid ?? (++counter).toString(16).padStart(64, '0');
  const io = (h: string | null) => (h === null ? { address: null, scriptId: null } : h.includes(':') ? { address: null, scriptId: h } : { address: h, scriptId: null });
  const inputs = spec.coinbase
    ? [{ index: 0, prevTxid: COINBASE_PREV_TXID, prevVout: 0xffffffff, sequence: 0xffffffff, coinbase: true, address: null, scriptId: null, value: null, resolved: true }]
    : (spec.ins ?? []).map(([h, v], index) => {
      const [prevTxid, prevVout] = (spec.spends?.[index] ?? `${'f'.repeat(56)}${(++counter).toString(16).padStart(8, '0')}:0`).split(':');
      const value = h === null || v === null ? null : BigInt(v);
      return { index, prevTxid, prevVout: Number(prevVout), sequence: spec.sequence ?? 0xffffffff, coinbase: false, ...io(h), value, resolved: value !== null };
    });
  let nulldata = 0;
  const outputs = (spec.outs ?? []).map(([h, v], index): UtxoOutput => {
    const o: UtxoOutput = { index, value: BigInt(v ?? 0), scriptType: (h === null ? 'nulldata' : holderScriptType(spec.chain ?? 'bitcoin', h) ?? 'p2pkh') as ScriptType, ...io(h) };
    const script = h === null ? spec.nulldata?.[nulldata++] : undefined;
    if (script !== undefined) o.nulldata = script;
    return o;
  });
  return {
    chain: spec.chain ?? 'bitcoin', txid, block: { hash: '0'.repeat(64), height: spec.height ?? 100, time: 0 }, position: 1,
    version: spec.version ?? 1, locktime: spec.locktime ?? 0, size: spec.size ?? null, vsize: spec.vsize ?? null, inputs, outputs,
  };
}
