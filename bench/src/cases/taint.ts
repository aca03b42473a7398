import { run } from '../../../packages/cli/dist/cli.js';
import { streamUtxoTransactions, utxoCaseSource } from '../../../packages/adapters/dist/index.js';
import { propagateUtxoTaint } from '../../../packages/core/dist/index.js';
import { Database } from '../deps.js';
import { timed } from '../measure.js';

/**
 * Run `ctrace --json ...` in this process and count the elements of some top-level arrays of what it prints, line by
 * line as it prints (its JSON is indented by two: an element starts a line with four spaces), without holding the
 * output: a haircut trace over 10^6 transactions prints more than one string can hold.
 */
async function ctraceCounting(args: string[], keys: string[]): Promise<{ code: number; err: string; counts: Record<string, number>; bytes: number }> {
  const counts: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  let inside: string | null = null;
  let carry = '';
  let bytes = 0;
  let err = '';
  // The line s[a, b): read in place (no array of the lines, no string per line: 10^7 lines at 10^6 transactions).
  const line = (s: string, a: number, b: number) => {
    if (inside === null) {
      if (s.startsWith('  "', a) && s.startsWith('": [', b - 4) && s.charCodeAt(a + 3) !== 34) {
        const key = s.slice(a + 3, b - 4);
        if (key in counts && !key.includes('"')) inside = key;
      }
    } else if (s.startsWith('  ]', a)) inside = null;
    else if (b - a > 4 && s.startsWith('    ', a)) {
      const c = s.charCodeAt(a + 4);
      if (c !== 32 && c !== 125 && c !== 93) counts[inside]++;
    }
  };
  const code = await run(args, {
    out: (t) => {
      bytes += t.length;
      const s = carry + t;
      let start = 0;
      for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
        line(s, start, nl);
        start = nl + 1;
      }
      carry = s.slice(start);
    },
    err: (t) => void (err += t),
    isTTY: false,
  });
  if (carry) line(carry, 0, carry.length);
  return { code, err, counts, bytes };
}

/** `ctrace --json trace <market address> --policy <p> --hops 20 --stop-at none` over an ingested store. */
export async function taintCase(params: { store: string; seed: string; policy: string; hops: number }): Promise<Record<string, unknown>> {
  const args = ['--db', params.store, '--json', 'trace', params.seed, '--policy', params.policy, '--hops', String(params.hops), '--stop-at', 'none'];
  const { seconds, cpuSeconds, value } = await timed(() => ctraceCounting(args, ['flow', 'addresses']));
  if (value.code !== 0) throw new Error(`ctrace ${args.join(' ')} exited ${value.code}: ${value.err.trim()}`);
  const db = new Database(params.store);
  const transactions = db.prepare('SELECT count(*) FROM txs').pluck().get() as number;
  // After the timed run: how many transactions the case-bounded walk read (the case), against the store's.
  const source = utxoCaseSource(db, 'bitcoin');
  propagateUtxoTaint(source, { policy: params.policy as 'fifo', seeds: { addresses: [params.seed] }, maxHops: params.hops, keepSteps: false });
  db.close();
  return {
    seconds, cpuSeconds, transactions, txPerSec: transactions / seconds, taintedOutputs: value.counts.flow, addressesReached: value.counts.addresses, jsonMb: Math.round(value.bytes / 2 ** 20), walkVisited: source.visited,
  };
}

/** The reference: one bare pass of the ordered transaction stream that taint propagation reads, nothing else. */
export async function streamCase(params: { store: string }): Promise<Record<string, unknown>> {
  const db = new Database(params.store);
  const { seconds, cpuSeconds, value } = await timed(() => {
    let n = 0;
    for (const tx of streamUtxoTransactions(db, 'bitcoin')) n += tx.outputs.length > 0 ? 1 : 1;
    return n;
  });
  db.close();
  return { seconds, cpuSeconds, transactions: value, txPerSec: value / seconds };
}
