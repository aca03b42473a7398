import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CtraceError } from '@cryptotrace/core';

/** What the demo's scenario gave: the chain files to ingest, a label file, and the market's addresses. */
export interface DemoScenario {
  chain: string;
  files: string[];
  labels: string | null;
  market: string[];
  transactions: number;
}

const MARKET = /^(darknet_)?market$/;

/**
 * Write the built-in darknet-market scenario with the fixtures generator (deterministic from the seed) and find
 * what the demo needs in it: the blk files, the labels CSV, and the market's addresses (from the labels, or from the
 * scenario's truth when it ships no labels).
 * @throws CtraceError INTERNAL when this installation has no scenario generator
 */
export async function writeDemoScenario(dir: string, txs: number, seed: number): Promise<DemoScenario> {
  const spec = '@cryptotrace/fixtures';
  type Manifest = { chain: string; files: string[]; transactions: number };
  let fixtures: {
    generateScenario?: (name: string, o: { txs: number; seed: number; out: string }) => Manifest;
    writeUtxoScenario?: (name: string, p: { txs: number; seed: number }, o: { out: string }) => Manifest;
  };
  try {
    fixtures = await import(spec);
  } catch (cause) {
    throw new CtraceError('INTERNAL', 'the scenario generator (@cryptotrace/fixtures) is not installed: run `pnpm install && pnpm build` in the repository', { cause });
  }
  const { generateScenario, writeUtxoScenario } = fixtures;
  if (typeof generateScenario !== 'function' && typeof writeUtxoScenario !== 'function') {
    throw new CtraceError('INTERNAL', 'this build has no scenario generator yet (generateScenario in @cryptotrace/fixtures): update and rebuild');
  }
  const manifest = generateScenario ? generateScenario('darknet-market', { txs, seed, out: dir }) : writeUtxoScenario!('darknet-market', { txs, seed }, { out: dir });
  const files = manifest.files.filter((f) => /(^|\/)blk\d+\.dat$/.test(f)).map((f) => join(dir, f));
  const labelFile = manifest.files.find((f) => /label.*\.csv$/i.test(f)) ?? (existsSync(join(dir, 'labels.csv')) ? 'labels.csv' : null);
  const labels = labelFile ? join(dir, labelFile) : labelsFromTruth(dir, manifest.chain);
  let market: string[] = [];
  if (labels) {
    market = readFileSync(labels, 'utf8').split(/\r?\n/).map((l) => l.split(',')).filter((c) => MARKET.test((c[2] ?? '').trim())).map((c) => c[1].trim());
  }
  if (market.length === 0) market = marketFromTruth(dir);
  return { chain: manifest.chain, files, labels, market: [...new Set(market)].sort(), transactions: manifest.transactions };
}

/** Services as public lists would name them: the truth's markets, exchanges and mixers (never the vendors: they are to be found). */
const PUBLIC_KINDS: Record<string, string> = { market: 'market', exchange: 'exchange', mixer: 'mixing_service' };

/**
 * A labels CSV written from the scenario's truth, for generators that ship none: the services an investigator would
 * find in public label lists. Returns its path, or null when the truth names no services.
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

/** The market's addresses as the scenario's truth names them (entities of a market kind, their addresses). */
function marketFromTruth(dir: string): string[] {
  const rows = (file: string) => readTruth(dir, file);
  const ids = new Set(rows('entities.ndjson').filter((e) => /market/i.test(e.kind)).map((e) => e.id));
  return rows('addresses.ndjson').filter((a) => ids.has(a.entity)).map((a) => a.address);
}
