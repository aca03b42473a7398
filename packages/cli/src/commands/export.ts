import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CaseReport, type FlowDirection, nodeLabels, flowGraph, openSqliteStore, storeLookups, toDot, toGexf, toGraphml, toHtmlReport } from '@cryptotrace/adapters';
import { CtraceError } from '@cryptotrace/core';
import type { CommandContext } from '../context.js';
import { formatId, paint, safeText, toJson } from '../output.js';
import { resolveAddressArg, resolveTxArg } from './resolve.js';

export const EXPORT_FORMATS = ['html', 'gexf', 'graphml', 'dot'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  out?: string;
  direction?: string;
  hops?: string;
  maxNodes?: string;
  chain?: string;
  title?: string;
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

const isTxid = (s: string) => /^(0x)?[0-9a-fA-F]{64}$/.test(s.trim());

/** `ctrace export <format> <address|txid>...`: the fund flow around the targets as HTML, GEXF, GraphML or DOT. */
export async function exportGraph(ctx: CommandContext, formatArg: string, targets: string[], opts: ExportOptions): Promise<number> {
  const format = formatArg.toLowerCase() as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new CtraceError('USAGE', `unknown export format "${formatArg}": use one of ${EXPORT_FORMATS.join(', ')}`);
  const direction = (opts.direction ?? 'out') as FlowDirection;
  if (!['out', 'in', 'both'].includes(direction)) throw new CtraceError('USAGE', `--direction must be out, in or both, not "${opts.direction}"`);
  const hops = intOption(opts.hops, '--hops', 3, 1);
  const maxNodes = intOption(opts.maxNodes, '--max-nodes', 500, 2);
  const store = openSqliteStore(ctx.db, { readonly: true });
  try {
    const addresses: string[] = [];
    const txids: string[] = [];
    const chains = new Set<string>();
    for (const target of targets) {
      if (isTxid(target)) {
        const { chain, txid } = resolveTxArg(store, target, opts.chain);
        if (!store.getTransaction(chain, txid)) throw new CtraceError('NOT_FOUND', `transaction ${txid} is not in ${ctx.db} (${chain}): ingest or fetch it first`);
        chains.add(chain);
        txids.push(txid);
      } else {
        const { chain, address } = resolveAddressArg(store, target, opts.chain);
        if (store.addressHistory(chain, address).length === 0) throw new CtraceError('NOT_FOUND', `address ${address} has no transactions in ${ctx.db} (${chain}): ingest or fetch them first`);
        chains.add(chain);
        addresses.push(address);
      }
    }
    if (chains.size > 1) throw new CtraceError('USAGE', `the targets are on different chains (${[...chains].join(', ')}): export one chain at a time`);
    const [chain] = chains;
    const report = flowGraph(store, { chain, seeds: { addresses, txids }, direction, hops, maxNodes, title: opts.title, ...storeLookups(store) });
    const text = renderReport(report, format);
    const summary = { format, path: opts.out ? resolve(ctx.cwd, opts.out) : null, chain, nodes: report.graph.order, edges: report.graph.size, evidence: report.evidence.length, truncated: report.truncated };
    if (!opts.out) {
      ctx.io.out(text);
    } else {
      writeOut(summary.path as string, text);
      ctx.io.out(ctx.json ? toJson(summary) : `wrote ${format} of ${summary.nodes} nodes and ${summary.edges} edges to ${summary.path}\n${labelledLines(report)}`);
    }
    if (report.truncated) ctx.io.err(`note: stopped at ${maxNodes} nodes before ${hops} hops; raise --max-nodes or lower --hops (targets: ${targets.map(formatId).join(', ')})\n`);
    return 0;
  } finally {
    store.close();
  }
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
