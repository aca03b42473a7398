import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CtraceError, type ParsedLabels, type RefusedLabel } from '@cryptotrace/core';
import type { SqliteStore } from '../store/sqlite/store.js';
import { writeLabels } from '../store/sqlite/labels.js';
import { writeImmediately } from '../store/sqlite/open.js';
import { parseLabelCsv } from './csv.js';
import { explorerChain, parseEtherscanLabels } from './etherscan.js';
import { parseMewList } from './mew.js';
import { ofacAsset, parseOfacList } from './ofac.js';
import { malformed } from './record.js';
import { parseTagPack } from './tagpack.js';

/** Label file formats, as `--format` names them. */
export const LABEL_FORMATS = ['tagpack', 'ofac', 'etherscan', 'mew-darklist', 'mew-lightlist', 'csv'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

export interface ReadLabelFilesOptions {
  format?: LabelFormat;
  /** The chain for formats whose file does not say (etherscan dumps outside their explorer folder, OFAC lists). */
  chain?: string;
}

/** What one file gave; `skipped` says why a file found in a directory was not read. */
export interface LabelFileResult extends ParsedLabels {
  path: string;
  skipped: string | null;
}

/**
 * Read and parse label files (directories are walked, in name order; files that are not label files are listed as
 * skipped). Every file is parsed before anything is written, so one malformed file stops the whole import.
 * @throws CtraceError INPUT_UNREADABLE, INPUT_MALFORMED, USAGE (a file named on its own that is no label file)
 */
export function readLabelFiles(paths: readonly string[], options: ReadLabelFilesOptions = {}): LabelFileResult[] {
  const out: LabelFileResult[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new CtraceError('INPUT_UNREADABLE', `${p}: no such file or directory: check the path`);
    }
    if (st.isDirectory()) for (const f of walk(p)) out.push(readOne(f, options, true));
    else out.push(readOne(p, options, false));
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

function readOne(path: string, o: ReadLabelFilesOptions, inDirectory: boolean): LabelFileResult {
  const name = basename(path);
  const text = (() => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new CtraceError('INPUT_UNREADABLE', `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'}): check the path and its permissions`);
    }
  })();
  const format = o.format ?? detect(path, name, text);
  const skip = (why: string): LabelFileResult => {
    if (!inDirectory) throw new CtraceError('USAGE', `${path}: ${why}: give --format (${LABEL_FORMATS.join(', ')})`);
    return { path, format: 'none', labels: [], read: 0, refused: [], skipped: why };
  };
  if (format === 'actorpack') return skip('a GraphSense ActorPack (actor descriptions, no addresses)');
  if (format === null) return skip('not a label file this importer knows');
  return { path, skipped: null, ...parse(path, name, text, format, o) };
}

function parse(path: string, name: string, text: string, format: LabelFormat, o: ReadLabelFilesOptions): ParsedLabels {
  switch (format) {
    case 'tagpack':
      return parseTagPack(path, text, name);
    case 'ofac': {
      const asset = ofacAsset(name) ?? o.chain;
      if (!asset) throw malformed(path, 'the asset is not in the file name (sanctioned_addresses_<ASSET>.json): give --chain');
      return parseOfacList(path, text, asset);
    }
    case 'etherscan': {
      const chain = o.chain ?? explorerChain(path);
      if (!chain) throw new CtraceError('USAGE', `${path}: the chain is not in the path (etherscan, bscscan, ...): give --chain`);
      return parseEtherscanLabels(path, text, chain);
    }
    case 'mew-darklist':
    case 'mew-lightlist':
      return parseMewList(path, text, format === 'mew-darklist' ? 'darklist' : 'lightlist');
    case 'csv':
      return parseLabelCsv(path, text);
  }
}

function detect(path: string, name: string, text: string): LabelFormat | 'actorpack' | null {
  if (ofacAsset(name)) return 'ofac';
  if (/\.ya?ml$/i.test(name)) return /^actors:/m.test(text) && !/^tags:/m.test(text) ? 'actorpack' : 'tagpack';
  if (/\.csv$/i.test(name)) return 'csv';
  if (/\.json$/i.test(name)) {
    if (/lightlist/i.test(name)) return 'mew-lightlist';
    if (/darklist/i.test(name)) return 'mew-darklist';
    const first = text.trimStart()[0];
    if (first === '{' && explorerChain(path)) return 'etherscan';
    if (first === '[' && /"comment"/.test(text.slice(0, 2000))) return 'mew-darklist';
  }
  return null;
}

export interface LabelImportFile {
  path: string;
  format: string;
  /** Records read from the file. */
  read: number;
  /** Labels its records gave: one record can give several (an etherscan-labels entry gives one per tag). */
  labels: number;
  imported: number;
  duplicates: number;
  refused: number;
  /** Refusal reasons with how often each came, and the first record it hit. */
  reasons: { reason: string; count: number; first: string }[];
  skipped: string | null;
}

export interface LabelImportSummary {
  files: LabelImportFile[];
  read: number;
  /** Labels the records gave (imported + duplicates). */
  labels: number;
  imported: number;
  duplicates: number;
  refused: number;
  importedAt: string;
}

/**
 * Import label files into the case store: parse all (a malformed file stops everything, nothing is written), then write
 * all labels in one transaction, recording the import time.
 * @param store the case store
 * @param paths files or directories
 * @param options format and chain overrides, and `at` (ISO time of the import; default now)
 * @returns per file: read, imported, duplicates, refused with reasons
 * @throws CtraceError INPUT_UNREADABLE, INPUT_MALFORMED, USAGE
 * @example importLabelFiles(store, ['../shared/data/labels'])
 */
export function importLabelFiles(store: SqliteStore, paths: readonly string[], options: ReadLabelFilesOptions & { at?: string } = {}): LabelImportSummary {
  const files = readLabelFiles(paths, options);
  const importedAt = options.at ?? new Date().toISOString();
  const summary: LabelImportSummary = { files: [], read: 0, labels: 0, imported: 0, duplicates: 0, refused: 0, importedAt };
  const write = store.db.transaction(() => {
    for (const f of files) {
      const w = writeLabels(store.db, f.labels, importedAt);
      summary.files.push({ path: f.path, format: f.format, read: f.read, labels: f.labels.length, ...w, refused: f.refused.length, reasons: groupReasons(f.refused), skipped: f.skipped });
      summary.read += f.read;
      summary.labels += f.labels.length;
      summary.imported += w.imported;
      summary.duplicates += w.duplicates;
      summary.refused += f.refused.length;
    }
  });
  writeImmediately(store.db, () => write.immediate());
  return summary;
}

function groupReasons(refused: readonly RefusedLabel[]): LabelImportFile['reasons'] {
  const by = new Map<string, { reason: string; count: number; first: string }>();
  for (const r of refused) {
    // Group by the reason's shape, not the quoted address in it.
    const shape = r.reason.replace(/"[^"]*"/g, '"…"');
    const g = by.get(shape);
    if (g) g.count++;
    else by.set(shape, { reason: shape, count: 1, first: `${r.at}: ${r.reason}` });
  }
  return [...by.values()].sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}
