import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CaseReport, type ClusterJson, type ClusterLinkJson, type FlowDirection, type TraceJson, clusterReport, nodeLabels, traceReport, flowGraph, openSqliteStore, storeLookups, toDot, toGexf, toGraphml, toHtmlReport } from '@cryptotrace/adapters';
import { CtraceError, getChain } from '@cryptotrace/core';
import type { CommandContext } from '../context.js';
import { formatId, paint, safeText, toJson } from '../output.js';
import { firstLine, parseOutput } from '../in-process.js';
import { addressNotFound, looksLikeTxid, storedAddress, storedTx } from './resolve.js';

export const EXPORT_FORMATS = ['html', 'gexf', 'graphml', 'dot'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  out?: string;
  trace?: string;
  cluster?: string;
  policy?: string;
  stopAt?: string;
  direction?: string;
  hops?: string;
  maxNodes?: string;
  chain?: string;
  title?: string;
  asOf?: string;
}

/** A case report as a file of the given format. */
export function renderReport(report: CaseReport, format: ExportFormat): string {
  return format === 'html' ? toHtmlReport(report) : format === 'gexf' ? toGexf(report) : format === 'graphml' ? toGraphml(report) : toDot(report);
}

/** Parse a whole number option; `what` names it in the one-line error. */
export function intOption(text: string | undefined, what: string, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,9}$/.test(text) || Number(text) < min) throw new CtraceError('USAGE', `${what} must be a whole number >= ${min}, not "${text}"`);
  return Number(text);
}

/** `ctrace export <format> <address|txid>...`: the fund flow around the targets as HTML, GEXF, GraphML or DOT. */
export async function exportGraph(ctx: CommandContext, formatArg: string, targets: string[], opts: ExportOptions): Promise<number> {
  const format = formatArg.toLowerCase() as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new CtraceError('USAGE', `unknown export format "${formatArg}": use one of ${EXPORT_FORMATS.join(', ')}`);
  const direction = (opts.direction ?? 'out') as FlowDirection;
  if (!['out', 'in', 'both'].includes(direction)) throw new CtraceError('USAGE', `--direction must be out, in or both, not "${opts.direction}"`);
  if (opts.hops !== undefined) intOption(opts.hops, '--hops', 3, 1);
  if (opts.asOf && !opts.trace) throw new CtraceError('USAGE', '--as-of goes with --trace');
  if (opts.trace || opts.cluster) {
    if (targets.length) throw new CtraceError('USAGE', `--${opts.trace ? 'trace' : 'cluster'} takes its own target: drop ${targets.map(formatId).join(' ')}`);
    if (opts.cluster) {
      const report = await clusterOf(ctx, opts.cluster, opts);
      if (opts.title) report.title = opts.title;
      return emit(ctx, report, format, opts.out, false);
    }
    const trace = await traceJsonOf(ctx, opts.trace as string, opts, direction);
    return emitTrace(ctx, trace, format, opts.out, opts.title);
  }
  const hops = intOption(opts.hops, '--hops', 3, 1);
  const maxNodes = intOption(opts.maxNodes, '--max-nodes', 500, 2);
  if (!targets.length) throw new CtraceError('USAGE', 'name addresses or transactions to export, or use --trace <target> or --cluster <address>');
  if (opts.policy || opts.stopAt) throw new CtraceError('USAGE', `--${opts.policy ? 'policy' : 'stop-at'} goes with --trace`);
  const store = openSqliteStore(ctx.db, { readonly: true });
  try {
    const addresses: string[] = [];
    const txids: string[] = [];
    const chains = new Set<string>();
    for (const target of targets) {
      if (looksLikeTxid(target)) {
        const { chain, txid } = storedTx(store, ctx.db, target, opts.chain);
        chains.add(chain);
        txids.push(txid);
      } else {
        const { chain, address } = storedAddress(store, ctx.db, target, opts.chain);
        if (store.addressHistory(chain, address).length === 0) throw addressNotFound(ctx.db, chain, address);
        chains.add(chain);
        addresses.push(address);
      }
    }
    if (chains.size > 1) throw new CtraceError('USAGE', `the targets are on different chains (${[...chains].join(', ')}): export one chain at a time`);
    const [chain] = chains;
    const report = flowGraph(store, { chain, seeds: { addresses, txids }, direction, hops, maxNodes, title: opts.title, ...storeLookups(store) });
    emit(ctx, report, format, opts.out, report.truncated);
    if (report.truncated) ctx.io.err(`note: stopped at ${maxNodes} nodes before ${hops} hops; raise --max-nodes or lower --hops (targets: ${targets.map(formatId).join(', ')})\n`);
    return 0;
  } finally {
    store.close();
  }
}

/**
 * Write a report to a file (printing a summary) or to stdout. `trace`, the trace the report draws, goes into the
 * `--json` summary, so that one run gives both the trace and its report.
 */
function emit(ctx: CommandContext, report: CaseReport, format: ExportFormat, out: string | undefined, truncated: boolean, trace?: unknown): number {
  const text = renderReport(report, format);
  const summary = { format, path: out ? resolve(ctx.cwd, out) : null, kind: report.kind, chain: report.chain, nodes: report.graph.order, edges: report.graph.size, evidence: report.evidence.length, truncated };
  if (!out) {
    if (format === 'html' && process.stdout.isTTY) throw new CtraceError('USAGE', 'an HTML report on a terminal helps nobody: write it to a file with -o report.html');
    ctx.io.out(text);
    return 0;
  }
  writeOut(summary.path as string, text);
  ctx.io.out(ctx.json ? toJson(trace === undefined ? summary : { ...summary, trace }) : `wrote ${format} of ${summary.nodes} nodes and ${summary.edges} edges to ${summary.path}\n${labelledLines(report)}`);
  return 0;
}

/**
 * The report of a trace already run (the JSON `ctrace --json trace` prints, as parsed), written to `out` (or stdout)
 * in `format`; with `--json` the summary carries the trace too. `ctrace trace --report` and `export --trace` both
 * write through here, so the same trace gives the same file.
 */
export function emitTrace(ctx: CommandContext, trace: TraceJson, format: ExportFormat, out: string | undefined, title?: string): number {
  const report = traceReport(trace, getChain(trace.chain));
  if (title) report.title = title;
  return emit(ctx, report, format, out, false, ctx.json ? trace : undefined);
}

/**
 * For `ctrace trace <target> --report <file>`: the HTML report of the trace just printed, without a second walk.
 * `trace` is the object `ctrace --json trace` prints (bigints allowed: it goes through the same JSON text).
 * Prints one line on stderr (stdout holds the trace itself).
 */
export function writeTraceReport(ctx: CommandContext, trace: unknown, out: string): void {
  const json = JSON.parse(toJson(trace)) as TraceJson;
  const report = traceReport(json, getChain(json.chain));
  const path = resolve(ctx.cwd, out);
  writeOut(path, renderReport(report, 'html'));
  ctx.io.err(`wrote the report (${report.graph.order} nodes, ${report.graph.size} edges) to ${path}\n`);
}

/** Run a ctrace command in this process with --json on the same store; its error becomes this command's error. */
async function jsonOf(ctx: CommandContext, argv: string[]): Promise<unknown> {
  const r = await ctx.inProcess.run(['--db', ctx.db, '--json', ...argv]);
  if (r.code !== 0) throw new CtraceError(r.code === 4 ? 'STORE_INVALID' : r.code === 1 ? 'NOT_FOUND' : 'USAGE', firstLine(r.stderr) || `ctrace ${argv[0]} failed (exit ${r.code})`);
  return parseOutput(r.stdout);
}

/** The JSON of `ctrace trace`, run with the export's options. */
async function traceJsonOf(ctx: CommandContext, target: string, opts: ExportOptions, direction: FlowDirection): Promise<TraceJson> {
  if (direction === 'both') throw new CtraceError('USAGE', '--trace follows one direction: use --direction out or in');
  const argv = ['trace', target, '--direction', direction, ...(opts.hops ? ['--hops', opts.hops] : []), ...(opts.policy ? ['--policy', opts.policy] : []), ...(opts.stopAt ? ['--stop-at', opts.stopAt] : []), ...(opts.asOf ? ['--as-of', opts.asOf] : []), ...(opts.chain ? ['--chain', opts.chain] : []), '--limit', '100000'];
  return (await jsonOf(ctx, argv)) as TraceJson;
}

/** The report of `ctrace cluster`, with the evidence linking each address to the root (`cluster why`). */
async function clusterOf(ctx: CommandContext, address: string, opts: ExportOptions): Promise<CaseReport> {
  const chain = opts.chain ? ['--chain', opts.chain] : [];
  const cluster = (await jsonOf(ctx, ['cluster', address, ...chain, '--limit', String(intOption(opts.maxNodes, '--max-nodes', 500, 2))])) as ClusterJson;
  const links: ClusterLinkJson[] = [];
  for (const a of cluster.addresses) {
    if (a === cluster.root) continue;
    const why = (await jsonOf(ctx, ['cluster', 'why', cluster.root, a, ...chain])) as { evidence?: ClusterLinkJson[] };
    links.push(...(why.evidence ?? []));
  }
  return clusterReport(cluster, links, getChain(cluster.chain));
}

/** Write a file, turning a bad path into one line. */
export function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new CtraceError('USAGE', `cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}): check the directory exists and is writable`, { cause: err });
  }
}

/** The labelled nodes of a report, one line each (labels are untrusted: made safe for the terminal). */
function labelledLines(report: CaseReport, max = 10): string {
  const lines = report.graph.filterNodes((_k, a) => nodeLabels(a).length > 0).sort().map((k) => `  ${paint('yellow', formatId(k))}  ${safeText(nodeLabels(report.graph.getNodeAttributes(k)).join('; '))}`);
  if (!lines.length) return '';
  return `labelled addresses in the graph:\n${lines.slice(0, max).join('\n')}\n${lines.length > max ? `  ... and ${lines.length - max} more\n` : ''}`;
}
