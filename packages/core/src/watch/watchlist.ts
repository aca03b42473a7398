import { CtraceError } from '../errors.js';
import type { Chain } from '../model/chain.js';
import { normalizeAddress } from '../model/address.js';

/** The rules a watch entry can run. */
export const WATCH_RULES = ['movement', 'exposure', 'cluster-growth', 'typology'] as const;
export type WatchRule = (typeof WATCH_RULES)[number];

/** One entry of a watchlist: what is watched and which rules fire on it. */
export interface WatchEntry {
  /** Stable key: the entry's kind and subject (`address:<a>`, `cluster:<a>`, `category:<c>`). */
  key: string;
  kind: 'address' | 'cluster' | 'category';
  /** The address (normalized), or the label category. */
  subject: string;
  name: string | null;
  rules: WatchRule[];
  /** Exposure: the least share of a received output's value traced to this entry that raises an alert (0 to 1). */
  threshold: number;
  /** Exposure: how many transactions deep the taint is followed from the entry. */
  maxHops: number;
}

const DEFAULT_THRESHOLD = 0.5;
const DEFAULT_HOPS = 10;

function bad(where: string, what: string): never {
  throw new CtraceError('USAGE', `watchlist ${where}: ${what}; the smallest form is {"watch": [{"address": "<address>", "rules": ["movement"]}]}`);
}

/**
 * Check a parsed watchlist (YAML or JSON) and normalize its entries.
 * @param doc the parsed document: `{ watch: [{ address | cluster | category, rules, name?, threshold?, maxHops? }] }`
 * @param chain the chain watched (addresses are checked against it)
 * @throws CtraceError USAGE naming the entry and field at fault
 * @example parseWatchlist({ watch: [{ address: 'bcrt1q...', rules: ['movement'] }] }, getChain('bitcoin-regtest'))
 */
export function parseWatchlist(doc: unknown, chain: Chain, where = 'file'): WatchEntry[] {
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { watch?: unknown }).watch)) bad(where, 'it has no "watch" list');
  const list = (doc as { watch: unknown[] }).watch;
  if (list.length === 0) bad(where, '"watch" is empty');
  const seen = new Set<string>();
  return list.map((raw, i) => {
    const at = `${where}, entry ${i + 1}`;
    if (typeof raw !== 'object' || raw === null) bad(at, 'an entry is an object');
    const e = raw as Record<string, unknown>;
    const kinds = (['address', 'cluster', 'category'] as const).filter((k) => e[k] !== undefined);
    if (kinds.length !== 1) bad(at, 'give exactly one of "address", "cluster" (an address whose cluster is watched) or "category"');
    const kind = kinds[0];
    const value = e[kind];
    if (typeof value !== 'string' || value.trim() === '') bad(at, `"${kind}" must be text`);
    let subject: string;
    if (kind === 'category') subject = value.trim().toLowerCase();
    else {
      try {
        subject = normalizeAddress(chain, value.trim());
      } catch (err) {
        bad(at, `"${value}" is not a ${chain.name} address (${(err as Error).message})`);
      }
    }
    const rules = e.rules === undefined ? ['movement'] : e.rules;
    if (!Array.isArray(rules) || rules.length === 0 || rules.some((r) => !(WATCH_RULES as readonly string[]).includes(String(r)))) {
      bad(at, `"rules" must list some of ${WATCH_RULES.join(', ')}`);
    }
    if (chain.kind === 'account' && (rules as string[]).includes('typology')) bad(at, `"typology" is for Bitcoin-family chains only (peel chains, fan patterns over UTXO transactions); on ${chain.name} use movement, exposure or cluster-growth`);
    const threshold = e.threshold === undefined ? DEFAULT_THRESHOLD : Number(e.threshold);
    if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) bad(at, '"threshold" is a share above 0 and at most 1, e.g. 0.5');
    const maxHops = e.maxHops === undefined ? DEFAULT_HOPS : Number(e.maxHops);
    if (!Number.isSafeInteger(maxHops) || maxHops < 1 || maxHops > 100) bad(at, '"maxHops" is a whole number from 1 to 100');
    const key = `${kind}:${subject}`;
    if (seen.has(key)) bad(at, `${key} is listed twice`);
    seen.add(key);
    const name = typeof e.name === 'string' ? e.name : null;
    return { key, kind, subject, name, rules: [...new Set(rules as WatchRule[])].sort(), threshold, maxHops };
  });
}
