import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CtraceError, compareRealism } from '@cryptotrace/core';
import { tallyFiles } from '@cryptotrace/adapters';
import type { CommandContext } from '../context.js';
import { table, toJson } from '../output.js';

export interface RealismOptions {
  world: string;
  real: string[];
  /** Distances above this are marked (default 0.10). */
  threshold?: string;
}

/** The block files of a generated world: its blk*.dat, in name order. */
function worldBlockFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CtraceError('INPUT_UNREADABLE', `${dir} is not a directory: give the --out directory of ctrace generate`);
  }
  const files = readdirSync(dir).filter((f) => /^blk\d+\.dat$/.test(f)).sort().map((f) => join(dir, f));
  if (files.length === 0) throw new CtraceError('INPUT_UNREADABLE', `${dir} holds no blk*.dat files: give the --out directory of a UTXO scenario of ctrace generate`);
  return files;
}

/** `ctrace realism <world-dir> <real block files...>`: how far a generated world is from real blocks, statistic by statistic. */
export async function realism(ctx: CommandContext, o: RealismOptions): Promise<number> {
  const threshold = o.threshold === undefined ? 0.1 : Number(o.threshold);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) throw new CtraceError('USAGE', `--threshold "${o.threshold}" is not a distance: give a number from 0 to 1, e.g. 0.1`);
  const dir = resolve(ctx.cwd, o.world);
  const world = await tallyFiles(worldBlockFiles(dir));
  const real = await tallyFiles(o.real.map((p) => resolve(ctx.cwd, p)));
  const statistics = compareRealism(world.counts, real.counts);
  const over = statistics.filter((s) => Number(s.distance) > threshold).map((s) => s.name);
  if (ctx.json) {
    ctx.io.out(toJson({ world: { dir, chain: world.chain, transactions: world.transactions }, real: { files: o.real.length, chain: real.chain, transactions: real.transactions }, threshold: threshold.toFixed(2), over, statistics }));
    return 0;
  }
  ctx.io.out(`world ${dir}: ${world.transactions} transactions (${world.chain}); real: ${real.transactions} transactions in ${o.real.length} files (${real.chain}); coinbases left out\n\n`);
  ctx.io.out(table(['statistic', 'distance', ''], statistics.map((s) => [s.name, s.distance, Number(s.distance) > threshold ? `> ${threshold.toFixed(2)}` : '']), [1]));
  for (const s of statistics) {
    ctx.io.out(`\n${s.name}: ${s.counts}, total variation ${s.distance}\n`);
    ctx.io.out(table(['bucket', 'world', 'real'], s.buckets.map((b) => [b.bucket, `${(Number(b.worldShare) * 100).toFixed(1)} %`, `${(Number(b.realShare) * 100).toFixed(1)} %`]), [1, 2]));
  }
  ctx.io.out(over.length ? `\n${over.length} of ${statistics.length} statistics are further than ${threshold.toFixed(2)} from the real blocks: ${over.join(', ')}\n` : `\nevery statistic is within ${threshold.toFixed(2)} of the real blocks\n`);
  return 0;
}
