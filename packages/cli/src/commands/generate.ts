import { resolve } from 'node:path';
import { CtraceError } from '@cryptotrace/core';
import { generateScenario } from '@cryptotrace/fixtures';
import type { CommandContext } from '../context.js';
import { table, toJson } from '../output.js';
import { progressBar } from '../progress.js';

export interface GenerateOptions {
  scenario: string;
  out: string;
  txs: string;
  seed: string;
  blockTxs?: string;
  chain?: string;
  era?: string;
  model: boolean;
}

function wholeNumber(flag: string, text: string): number {
  if (!/^\d{1,9}$/.test(text.trim())) throw new CtraceError('USAGE', `${flag} "${text}" is not a whole number: give digits only, e.g. ${flag} 1000`);
  return Number(text);
}

/** `ctrace generate <scenario>`: write a generated world and its truth to a directory. */
export async function generate(ctx: CommandContext, o: GenerateOptions): Promise<number> {
  const txs = wholeNumber('--txs', o.txs);
  const blockTxs = o.blockTxs === undefined ? undefined : wholeNumber('--block-txs', o.blockTxs);
  const era = o.era === undefined ? undefined : wholeNumber('--era', o.era);
  const out = resolve(ctx.cwd, o.out);
  const bar = progressBar(ctx.io, 'generate');
  let manifest;
  try {
    manifest = generateScenario(o.scenario, { txs, seed: o.seed, out, blockTxs, chain: o.chain, era, model: o.model, onProgress: (n) => bar.update(n, txs, `${n} txs`) });
  } finally {
    bar.done();
  }
  if (ctx.json) {
    ctx.io.out(toJson({ out, ...manifest }));
    return 0;
  }
  ctx.io.out(table(['file'], manifest.files.map((f) => [f])));
  ctx.io.out(`wrote ${manifest.scenario} (seed ${manifest.seed}): ${manifest.transactions} transactions in ${manifest.blocks} blocks of ${manifest.chain} to ${out}\n`);
  if (manifest.model === 'utxo') ctx.io.out(`next: ctrace --db case.db ingest ${out}/blk*.dat\n`);
  return 0;
}
