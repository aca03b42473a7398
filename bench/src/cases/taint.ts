import { run } from '../../../packages/cli/dist/cli.js';
import { streamUtxoTransactions, utxoCaseSource } from '../../../packages/adapters/dist/index.js';
import { propagateUtxoTaint } from '../../../packages/core/dist/index.js';
import { Database } from '../deps.js';
import { timed } from '../measure.js';

/** Run the CLI in this process (so that its time and peak memory are this process's), keeping what it printed. */
export async function ctraceInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

/** `ctrace --json trace <market address> --policy <p> --hops 20 --stop-at none` over an ingested store. */
export async function taintCase(params: { store: string; seed: string; policy: string; hops: number }): Promise<Record<string, unknown>> {
  const args = ['--db', params.store, '--json', 'trace', params.seed, '--policy', params.policy, '--hops', String(params.hops), '--stop-at', 'none'];
  const { seconds, cpuSeconds, value } = await timed(() => ctraceInProcess(args));
  if (value.code !== 0) throw new Error(`ctrace ${args.join(' ')} exited ${value.code}: ${value.err.trim()}`);
  const result = JSON.parse(value.out) as { flow: unknown[]; addresses: unknown[] };
  const db = new Database(params.store);
  const transactions = db.prepare('SELECT count(*) FROM txs').pluck().get() as number;
  // After the timed run: how many transactions the case-bounded walk read (the case), against the store's.
  const source = utxoCaseSource(db, 'bitcoin');
  propagateUtxoTaint(source, { policy: params.policy as 'fifo', seeds: { addresses: [params.seed] }, maxHops: params.hops });
  db.close();
  return {
    seconds, cpuSeconds, transactions, txPerSec: transactions / seconds, taintedOutputs: result.flow.length, addressesReached: result.addresses.length, walkVisited: source.visited,
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
