import { base58 } from '@scure/base';
import { getChain } from '../../model/chain.js';
import type { ScriptType, UtxoOutput, UtxoTransaction } from '../../model/utxo.js';
import { holderOf } from '../../model/utxo.js';

/**
 * The script type a holder's form implies: inputs carry no script type in the model, but their address does.
 * `script:` ids stand for bare multisig and non-standard scripts alike and come back as 'nonstandard'.
 * @param chain a Bitcoin-family chain name
 * @param holder an address or script id
 * @returns the script type, or null when the form is unknown
 * @example holderScriptType('bitcoin', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa') // 'p2pkh'
 */
export function holderScriptType(chain: string, holder: string): ScriptType | null {
  let cache = caches.get(chain);
  if (cache === undefined) {
    cache = new Map();
    caches.set(chain, cache);
  }
  const hit = cache.get(holder);
  if (hit !== undefined) return hit;
  const type = classifyHolder(chain, holder);
  // Bounded: the same holders recur within a chunk; memory must not grow with the chain.
  if (cache.size >= 200_000) cache.clear();
  cache.set(holder, type);
  return type;
}

/** Chain -> holder -> script type. */
const caches = new Map<string, Map<string, ScriptType | null>>();

/**
 * holderScriptType without its cache, for a caller that asks once per holder (a rebuild types each stored address
 * once: through the bounded cache it only pushed out the holders the change rules ask for again).
 * @example classifyHolder('bitcoin', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq') // 'p2wpkh'
 */
export function classifyHolder(chain: string, holder: string): ScriptType | null {
  if (holder.startsWith('p2pk:')) return 'p2pk';
  if (holder.startsWith('script:')) return 'nonstandard';
  const net = getChain(chain).network;
  if (!net) return null;
  if (net.bech32 && holder.startsWith(`${net.bech32}1`)) {
    const data = holder.slice(net.bech32.length + 1);
    if (data[0] === 'q') return data.length === 39 ? 'p2wpkh' : data.length === 59 ? 'p2wsh' : null;
    return data[0] === 'p' && data.length === 59 ? 'p2tr' : 'witness_unknown';
  }
  try {
    // Leading '1's are leading zero bytes: such a holder's first byte is 0 without decoding the rest (most P2PKH
    // addresses of Bitcoin); any other holder is decoded, and one with a character outside the alphabet is not typed.
    const version = holder[0] === '1' && BASE58.test(holder) ? 0 : base58.decode(holder)[0];
    if (version === net.pubKeyHash) return 'p2pkh';
    if (version === net.scriptHash || net.legacyScriptHash?.includes(version)) return 'p2sh';
  } catch {
    return null;
  }
  return null;
}

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]*$/;

/** Outputs that can be change or payments: spendable, with a holder. OP_RETURN is never a candidate. */
export function spendableOutputs(tx: UtxoTransaction): UtxoOutput[] {
  return tx.outputs.filter((o) => o.scriptType !== 'nulldata' && holderOf(o) !== null);
}
