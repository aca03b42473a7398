import { type Label, SERVICE_CATEGORIES, labelActiveAt } from './label.js';

/** Labels by chain and address, for the taint walk and the ranking. */
export interface LabelIndex {
  /** The labels of an address in force at `at` (all when `at` is not given), sorted by category, source, actor. */
  of(chain: string, address: string, at?: string): Label[];
  /** Addresses (with their chain) that carry a label of one of `categories`. */
  withCategory(categories: readonly string[], at?: string): { chain: string; address: string }[];
  /** True when the address carries any label in force. */
  has(chain: string, address: string, at?: string): boolean;
  /** True when the address carries a service label (see SERVICE_CATEGORIES). */
  isService(chain: string, address: string, at?: string): boolean;
  size: number;
}

/**
 * Index labels by chain and address.
 * @param labels any labels, conflicting ones included
 * @returns the index
 * @example createLabelIndex(labels).of('bitcoin', '1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3')
 */
export function createLabelIndex(labels: Iterable<Label>): LabelIndex {
  const by = new Map<string, Label[]>();
  let size = 0;
  for (const l of labels) {
    const k = `${l.chain}\u0000${l.address}`;
    const list = by.get(k);
    if (list) list.push(l);
    else by.set(k, [l]);
    size++;
  }
  for (const list of by.values()) list.sort((a, b) => cmp(a.category, b.category) || cmp(a.source, b.source) || cmp(a.actor, b.actor));
  // A P2PK output is held by a key whose P2PKH address is what sources label: `p2pk:1...` looks up `1...` too.
  const of = (chain: string, address: string, at?: string) => {
    const own = by.get(`${chain}\u0000${address}`) ?? [];
    const key = address.startsWith('p2pk:') ? by.get(`${chain}\u0000${address.slice(5)}`) ?? [] : [];
    return [...own, ...key].filter((l) => labelActiveAt(l, at));
  };
  return {
    of,
    has: (chain, address, at) => of(chain, address, at).length > 0,
    isService: (chain, address, at) => of(chain, address, at).some((l) => SERVICE_CATEGORIES.includes(l.category)),
    withCategory(categories, at) {
      const out: { chain: string; address: string }[] = [];
      for (const list of by.values()) {
        const hit = list.find((l) => categories.includes(l.category) && labelActiveAt(l, at));
        if (hit) out.push({ chain: hit.chain, address: hit.address });
      }
      return out.sort((a, b) => cmp(a.chain, b.chain) || cmp(a.address, b.address));
    },
    size,
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
