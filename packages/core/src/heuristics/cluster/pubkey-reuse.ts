import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, createBase58check, hex } from '@scure/base';
import { CHAINS, getChain } from '../../model/chain.js';
import { type Evidence, evidenceParams, type SameOwnerLink } from './evidence.js';

/** Spec id `pubkey-reuse` (heuristics.md §1): one key, several address forms or chains. */
export const id = 'pubkey-reuse';
export const version = 1;

export interface PubkeyReuseParams {
  /** Link forms of the key on other Bitcoin-family chains too. */
  crossChain: boolean;
  confidence: number;
}

export const defaultParams: PubkeyReuseParams = { crossChain: true, confidence: 1 };

const b58 = createBase58check(sha256);

/** Where a holder was seen: the transaction that evidence will name. */
export interface HolderSighting {
  chain: string;
  holder: string;
  txid: string;
  blockHeight: number | null;
}

/**
 * The key hash (hash160, hex) behind a pay-to-key holder: P2PKH, P2WPKH, or a `p2pk:` script id; else null.
 * @example keyHashOf('bitcoin', 'p2pk:12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S')
 */
export function keyHashOf(chain: string, holder: string): string | null {
  const net = getChain(chain).network;
  if (!net) return null;
  const text = holder.startsWith('p2pk:') ? holder.slice(5) : holder;
  if (net.bech32 && text.startsWith(`${net.bech32}1q`) && text.length === net.bech32.length + 40) {
    const words = bech32.decode(text as `${string}1${string}`).words;
    return hex.encode(bech32.fromWords(words.slice(1)));
  }
  try {
    const payload = b58.decode(text);
    return payload.length === 21 && payload[0] === net.pubKeyHash ? hex.encode(payload.subarray(1)) : null;
  } catch {
    return null;
  }
}

/**
 * Every other form the same key takes: `p2pk:` and P2PKH and P2WPKH on the holder's chain, and with `crossChain`
 * the P2PKH and P2WPKH forms on the other Bitcoin-family chains. The adapter looks these up in its store.
 * @example keyForms('bitcoin', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', defaultParams)
 */
export function keyForms(chain: string, holder: string, params: PubkeyReuseParams = defaultParams): { chain: string; holder: string }[] {
  const hash = keyHashOf(chain, holder);
  if (hash === null) return [];
  const bytes = hex.decode(hash);
  const chains = params.crossChain ? CHAINS.filter((c) => c.network) : [getChain(chain)];
  const out: { chain: string; holder: string }[] = [];
  for (const c of chains) {
    const net = c.network!;
    const p2pkh = b58.encode(Uint8Array.of(net.pubKeyHash, ...bytes));
    const forms = [p2pkh, `p2pk:${p2pkh}`];
    if (net.bech32) forms.push(bech32.encode(net.bech32, [0, ...bech32.toWords(bytes)]));
    for (const f of forms) if (!(c.name === chain && f === holder)) out.push({ chain: c.name, holder: f });
  }
  return out;
}

/**
 * Link the sightings that share a key hash: each to the first sighting of its key. The evidence names the
 * transaction where the later form was seen.
 * @returns links with `from`/`to` as `chain:holder` when the two are on different chains, else the bare holder
 * @example pubkeyReuse([{ chain: 'bitcoin', holder: 'p2pk:1...', txid, blockHeight: 9 }, ...])
 */
export function pubkeyReuse(sightings: HolderSighting[], params: PubkeyReuseParams = defaultParams): SameOwnerLink[] {
  const first = new Map<string, HolderSighting>();
  const links: SameOwnerLink[] = [];
  for (const s of sightings) {
    const hash = keyHashOf(s.chain, s.holder);
    if (hash === null) continue;
    const key = params.crossChain ? hash : `${s.chain}:${hash}`;
    const f = first.get(key);
    if (!f) {
      first.set(key, s);
      continue;
    }
    if (f.holder === s.holder && f.chain === s.chain) continue;
    const cross = f.chain !== s.chain;
    const evidence: Evidence = {
      rule: id, version, chain: s.chain, txid: s.txid, outputIndex: null, logIndex: null, blockHeight: s.blockHeight,
      confidence: params.confidence, params: evidenceParams({ ...params, keyHash: hash }),
    };
    links.push({ from: cross ? `${f.chain}:${f.holder}` : f.holder, to: cross ? `${s.chain}:${s.holder}` : s.holder, evidence });
  }
  return links;
}
