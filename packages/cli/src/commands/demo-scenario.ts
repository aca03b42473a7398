import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CtraceError } from '@cryptotrace/core';

/** What the demo's scenario gave: the chain files to ingest, the investigator's label file, and the market's labelled addresses. */
export interface DemoScenario {
  chain: string;
  files: string[];
  labels: string;
  market: string[];
  transactions: number;
}

const MARKET = /^(darknet_)?market$/;

type Manifest = { chain: string; files: string[]; transactions: number };
interface Fixtures {
  generateScenario: (name: string, o: { txs: number; seed: number; out: string }) => Manifest;
  loadTruth: (dir: string) => unknown;
  investigatorLabels: (truth: never) => unknown[];
  labelsCsv: (rows: never[]) => string;
}

/**
 * Write the built-in darknet-market scenario with the fixtures generator (deterministic from the seed), with the
 * labels an investigator would hold for it: a few known addresses of the market (from a seized server, test
 * purchases), the exchanges and the mixer, never the whole truth. The vendors are for the investigation to find.
 * @throws CtraceError INTERNAL when this installation has no scenario generator
 */
export async function writeDemoScenario(dir: string, txs: number, seed: number): Promise<DemoScenario> {
  let fixtures: Fixtures;
  try {
    fixtures = (await import('@cryptotrace/fixtures')) as unknown as Fixtures;
  } catch (cause) {
    throw new CtraceError('INTERNAL', 'the scenario generator (@cryptotrace/fixtures) is not installed: run `pnpm install && pnpm build` in the repository', { cause });
  }
  const manifest = fixtures.generateScenario('darknet-market', { txs, seed, out: dir });
  const files = manifest.files.filter((f) => /(^|\/)blk\d+\.dat$/.test(f)).map((f) => join(dir, f));
  const labels = join(dir, 'labels.csv');
  if (!existsSync(labels)) writeFileSync(labels, fixtures.labelsCsv(fixtures.investigatorLabels(fixtures.loadTruth(dir) as never) as never[]));
  const market = readFileSync(labels, 'utf8').split(/\r?\n/).map((l) => l.split(',')).filter((c) => MARKET.test((c[2] ?? '').trim())).map((c) => c[1].trim());
  if (market.length === 0) throw new CtraceError('INTERNAL', `the demo scenario's labels name no market address (${labels})`);
  return { chain: manifest.chain, files, labels, market: [...new Set(market)].sort(), transactions: manifest.transactions };
}

/** Services as public lists would name them: the truth's markets, exchanges and mixers (never the vendors: they are to be found). */
const PUBLIC_KINDS: Record<string, string> = { market: 'market', exchange: 'exchange', mixer: 'mixing_service' };

/**
 * A labels CSV of every service the scenario's truth names (replay's `scenario:truth-services`): the services an
 * investigator would find in public label lists. Returns its path, or null when the truth names no services.
 */
export function labelsFromTruth(dir: string, chain: string): string | null {
  const entities = new Map(readTruth(dir, 'entities.ndjson').filter((e) => e.kind in PUBLIC_KINDS).map((e) => [e.id, e]));
  const rows = readTruth(dir, 'addresses.ndjson').filter((a) => entities.has(a.entity)).map((a) => {
    const e = entities.get(a.entity) as Record<string, string>;
    return [chain, a.address, PUBLIC_KINDS[e.kind], 'scenario-truth', '90', `"${String(e.name).replace(/"/g, '""')}"`].join(',');
  });
  if (!rows.length) return null;
  const path = join(dir, 'labels-from-truth.csv');
  writeFileSync(path, `chain,address,category,source,confidence,name\n${rows.join('\n')}\n`);
  return path;
}

function readTruth(dir: string, file: string): Record<string, string>[] {
  const path = join(dir, 'truth', file);
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>) : [];
}
