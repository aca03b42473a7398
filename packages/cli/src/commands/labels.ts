import { type LabelFormat, importLabelFiles, labelCounts, openSqliteStore, queryLabels } from '@cryptotrace/adapters';
import { CtraceError, type StoredLabel, chainOfAddressForm, getChain, normalizeAddress, normalizeCategory } from '@cryptotrace/core';
import { type CommandContext, waitNote } from '../context.js';
import { csv, outputSettings, safeText, table, toJson } from '../output.js';

const tabular = (headers: string[], rows: string[][]) => (outputSettings().csv ? csv(headers, rows) : table(headers, rows));
/** Untrusted text for one table cell: no control characters, no line breaks. */
const cell = (text: string) => safeText(text).replace(/[\t\n]+/g, ' ');

/** `ctrace labels import <paths...>`: all files or nothing; per file what was read, imported and refused, and why. */
export async function labelsImport(ctx: CommandContext, paths: string[], o: { format?: string; chain?: string; at?: string }): Promise<number> {
  if (o.at !== undefined && Number.isNaN(Date.parse(o.at))) throw new CtraceError('USAGE', `--at "${safeText(o.at)}" is not an ISO-8601 time`);
  const store = openSqliteStore(ctx.db, { create: true, onWait: waitNote(ctx) });
  try {
    const s = importLabelFiles(store, paths, { format: o.format as LabelFormat | undefined, chain: o.chain, at: o.at });
    if (ctx.json) {
      ctx.io.out(toJson(s));
      return 0;
    }
    const rows = s.files.map((f) => [safeText(f.path), f.skipped ? 'skipped' : f.format, String(f.read), String(f.labels), String(f.imported), String(f.duplicates), String(f.refused)]);
    ctx.io.out(tabular(['file', 'format', 'records', 'labels', 'imported', 'already', 'refused'], rows));
    const reasons = s.files.flatMap((f) => [
      ...(f.skipped ? [[safeText(f.path), 'skipped', safeText(f.skipped), '']] : []),
      ...f.reasons.map((r) => [safeText(f.path), String(r.count), safeText(r.reason), safeText(r.first)]),
    ]);
    if (reasons.length && !outputSettings().csv) ctx.io.out(`\nrefused or skipped\n${table(['file', 'count', 'reason', 'first'], reasons)}`);
    // One record can give several labels (an etherscan-labels entry gives one per tag), so labels can outnumber records.
    const several = s.labels > s.read - s.refused ? ' (a record can give several labels: an etherscan-labels entry gives one per tag)' : '';
    ctx.io.err(`read ${s.read} records giving ${s.labels} labels${several}: imported ${s.imported}, ${s.duplicates} already stored (kept as they were); ${s.refused} records refused\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** `ctrace labels list`: stored labels, filtered, or their counts. */
export async function labelsList(ctx: CommandContext, o: { chain?: string; category?: string; source?: string; limit?: string; summary?: boolean }): Promise<number> {
  const limit = Number(o.limit ?? '100');
  if (!Number.isInteger(limit) || limit < 1) throw new CtraceError('USAGE', `--limit "${safeText(String(o.limit))}" is not a positive integer`);
  const store = openSqliteStore(ctx.db, { readonly: true });
  try {
    if (o.summary) {
      const counts = labelCounts(store.db);
      ctx.io.out(ctx.json ? toJson(counts) : tabular(['source', 'category', 'labels'], counts.map((c) => [safeText(c.source), safeText(c.category), String(c.count)])));
      return 0;
    }
    if (o.chain) getChain(o.chain);
    // One more than asked for, to say when the list was cut.
    const found = queryLabels(store.db, { chain: o.chain, category: o.category === undefined ? undefined : normalizeCategory(o.category), source: o.source, limit: limit + 1 });
    const labels = found.slice(0, limit);
    ctx.io.out(ctx.json ? toJson(labels) : labelTable(labels, true));
    if (found.length > limit) ctx.io.err(`note: the first ${limit} labels only; more match: raise --limit, narrow with --chain, --category or --source, or count them with --summary\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** `ctrace labels show <address>`: every label of an address, conflicting ones side by side. */
export async function labelsShow(ctx: CommandContext, addressArg: string, o: { chain?: string }): Promise<number> {
  const store = openSqliteStore(ctx.db, { readonly: true });
  try {
    const text = addressArg.trim();
    const forms = new Set([text]);
    if (o.chain) forms.add(normalizeAddress(getChain(o.chain), text));
    else if (chainOfAddressForm(text)) forms.add(normalizeAddress(getChain(chainOfAddressForm(text)!), text));
    if (text.startsWith('p2pk:')) forms.add(text.slice(5));
    const labels = [...forms].flatMap((address) => queryLabels(store.db, { address, chain: o.chain }));
    if (labels.length === 0) throw new CtraceError('NOT_FOUND', `no labels for ${safeText(text)} in ${ctx.db}: import some with "ctrace labels import"`);
    ctx.io.out(ctx.json ? toJson(labels) : `${safeText(text)}: ${labels.length} label${labels.length > 1 ? 's' : ''}\n${labelTable(labels, false)}`);
    return 0;
  } finally {
    store.close();
  }
}

function labelTable(labels: StoredLabel[], withAddress: boolean): string {
  const headers = [...(withAddress ? ['chain', 'address'] : ['chain']), 'category', 'actor', 'name', 'source', 'confidence', 'valid from', 'imported'];
  const rows = labels.map((l) => [
    l.chain,
    ...(withAddress ? [safeText(l.address)] : []),
    safeText(l.category),
    cell(l.actor),
    cell(l.name ?? ''),
    safeText(l.source),
    String(l.confidence),
    l.validFrom ?? '',
    l.importedAt,
  ]);
  return tabular(headers, rows);
}
