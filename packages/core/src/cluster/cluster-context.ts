import type { ChangeContext } from '../heuristics/change/verdict.js';
import type { TxFeatures } from '../heuristics/change/tx-features.js';
import type { ClusterStore } from './cluster-store.js';
import { factsFeatures, type TxFacts } from './tx-facts.js';

/**
 * The context the change and peel rules read about transaction `k` of some facts, one object for a whole run:
 * `at` moves it to a transaction (for a rebuild it must be called for every transaction, in row order).
 */
export interface RunContext {
  at(f: TxFacts, k: number): void;
  ctx: ChangeContext;
}

/** Features packed per transaction: bits, version and multisig form (an index into a list of the forms seen). */
const RBF = 1, SEGWIT = 2, PEEL = 4, LOCKTIME_ZERO = 8, IN_CHAIN = 16;

/** Growable typed arrays, indexed by row id − the first row. */
function grow<T extends Int32Array | Uint8Array>(a: T, n: number): T {
  if (n <= a.length) return a;
  let cap = Math.max(a.length, 1024);
  while (cap < n) cap *= 2;
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

/**
 * The context of a whole-chain pass in row order (a rebuild): one read of every transaction's features
 * (`features` facts) into compact arrays, each output's spender from one scan of the store's spends, and
 * freshness with no lookup at all: a holder is fresh in the first transaction of the pass that names it.
 */
export function chainContext(store: ClusterStore, chunk = 5000): RunContext {
  let lo = -1;
  let bits = new Uint8Array(0);
  let version = new Int32Array(0);
  let form = new Uint8Array(0);
  let slots = new Int32Array(0);
  const forms: string[] = [];
  const formIds = new Map<string, number>();
  let span = 0;
  for (let after = 0; ;) {
    const f = store.read(after, chunk, 'features');
    if (f.count === 0) break;
    if (lo < 0) lo = f.rowId[0];
    const need = f.rowId[f.count - 1] - lo + 1;
    bits = grow(bits, need);
    version = grow(version, need);
    form = grow(form, need);
    slots = grow(slots, need);
    span = need;
    for (let k = 0; k < f.count; k++) {
      const x = f.rowId[k] - lo;
      const t = factsFeatures(f, k);
      bits[x] = IN_CHAIN | (t.rbf ? RBF : 0) | (t.segwit ? SEGWIT : 0) | (t.peelShaped ? PEEL : 0) | (t.locktimeZero ? LOCKTIME_ZERO : 0);
      version[x] = t.version;
      let m = formIds.get(t.multisig);
      if (m === undefined) {
        m = forms.length;
        forms.push(t.multisig);
        formIds.set(t.multisig, m);
      }
      form[x] = m;
      slots[x] = f.outStart[k + 1] - f.outStart[k];
    }
    after = f.rowId[f.count - 1];
  }
  const outStart = new Int32Array(span + 1);
  for (let x = 0; x < span; x++) outStart[x + 1] = outStart[x] + slots[x];
  // Each output's spender (row id; 0: unspent), both of this chain; of two spenders the later row.
  const spentBy = new Int32Array(outStart[span]);
  for (const [prev, vout, spender] of store.spends()) {
    const x = prev - lo;
    const s = spender - lo;
    if (x < 0 || x >= span || s < 0 || s >= span || (bits[s] & IN_CHAIN) === 0 || (bits[x] & IN_CHAIN) === 0 || vout >= slots[x]) continue;
    const at = outStart[x] + vout;
    if (spender > spentBy[at]) spentBy[at] = spender;
  }
  const featuresAt = (row: number): TxFeatures => {
    const x = row - lo;
    const b = bits[x];
    return { locktimeZero: (b & LOCKTIME_ZERO) !== 0, version: version[x], rbf: (b & RBF) !== 0, segwit: (b & SEGWIT) !== 0, multisig: forms[form[x]], peelShaped: (b & PEEL) !== 0 };
  };
  // The first row of the pass naming each address.
  let firstRow = new Int32Array(store.addressCapacity());
  let f: TxFacts | null = null;
  let k = 0;
  let row = 0;
  let x = 0;
  // Each rule asks for the same features (its own, its outputs' spenders'): made once per transaction.
  let own: TxFeatures | null = null;
  const spent: (TxFeatures | null | undefined)[] = [];
  const seen = (id: number) => {
    if (id < 0) return;
    if (id >= firstRow.length) firstRow = grow(firstRow, id + 1);
    if (firstRow[id] === 0) firstRow[id] = row;
  };
  return {
    at(facts, at) {
      f = facts;
      k = at;
      row = f.rowId[k];
      x = row - lo;
      own = null;
      spent.length = 0;
      for (let i = f.inStart[k]; i < f.inStart[k + 1]; i++) seen(f.inAddr[i]);
      for (let o = f.outStart[k]; o < f.outStart[k + 1]; o++) seen(f.outAddr[o]);
    },
    ctx: {
      isFresh: (n) => isFresh(f!, k, n, (id) => firstRow[id] === row),
      spenderOf: (n) => {
        if (x < 0 || x >= span || n >= slots[x]) return null;
        let got = spent[n];
        if (got === undefined) {
          const s = spentBy[outStart[x] + n];
          spent[n] = got = s === 0 ? null : featuresAt(s);
        }
        return got;
      },
      features: () => (own ??= featuresAt(row)),
    },
  };
}

/** Output n's holder is fresh (`first`: first named here) and is none of the transaction's input holders. */
function isFresh(f: TxFacts, k: number, n: number, first: (id: number) => boolean): boolean | null {
  const id = f.outAddr[f.outStart[k] + n];
  if (id < 0) return null;
  if (!first(id)) return false;
  for (let i = f.inStart[k]; i < f.inStart[k + 1]; i++) if (f.inAddr[i] === id) return false;
  return true;
}

/** Entries an update's context keeps between its chunks, at most (about a block's worth, many times over). */
const KEPT = 200_000;

/**
 * The context of a few transactions (an update's chunk), looked up in the store for the whole chunk: each
 * output's spender and its features, and each output holder's first row. What one chunk looked up (features, first
 * rows) serves the later chunks of the run, and a transaction read as a chunk's facts is not read again as a
 * spender: an update's last chunk, the parents of its new transactions, is spent mostly by them.
 */
export function chunkContext(store: ClusterStore): RunContext & { load(f: TxFacts): void } {
  let spentBy = new Map<number, number>();
  const spenderFeatures = new Map<number, TxFeatures>();
  const firstRow = new Map<number, number>();
  const loaded = new Map<number, [TxFacts, number]>();
  let f: TxFacts | null = null;
  let k = 0;
  let own: TxFeatures | null = null;
  // Outputs keyed by row and index: rows stay below 2^31 and a transaction below 2^20 outputs.
  const key = (row: number, n: number) => row * 1048576 + n;
  return {
    load(facts) {
      const rows = facts.rowId;
      spentBy = new Map();
      for (const [prev, vout, spender] of store.spendsOf(rows)) {
        const at = key(prev, vout);
        if (spender > (spentBy.get(at) ?? 0)) spentBy.set(at, spender);
      }
      // Kept for the run, up to a bound: an update of a whole ingest must not hold every transaction it read.
      for (const m of [spenderFeatures, firstRow, loaded]) if (m.size > KEPT) m.clear();
      for (let j = 0; j < facts.count; j++) loaded.set(rows[j], [facts, j]);
      const spenders: number[] = [];
      for (const s of new Set(spentBy.values())) {
        if (spenderFeatures.has(s)) continue;
        const at = loaded.get(s);
        if (at) spenderFeatures.set(s, factsFeatures(at[0], at[1]));
        else spenders.push(s);
      }
      const s = store.readRows(spenders.sort((a, b) => a - b), 'features');
      for (let j = 0; j < s.count; j++) spenderFeatures.set(s.rowId[j], factsFeatures(s, j));
      const holders = [...new Set(facts.outAddr.filter((a) => a >= 0 && !firstRow.has(a)))];
      for (const [a, first] of store.firstRows(holders)) firstRow.set(a, first);
    },
    at(facts, at) {
      f = facts;
      k = at;
      own = null;
    },
    ctx: {
      isFresh: (n) => isFresh(f!, k, n, (id) => firstRow.get(id) === f!.rowId[k]),
      spenderOf: (n) => {
        const s = spentBy.get(key(f!.rowId[k], n));
        return s === undefined ? null : (spenderFeatures.get(s) ?? null);
      },
      features: () => (own ??= factsFeatures(f!, k)),
    },
  };
}
