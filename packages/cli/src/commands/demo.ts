import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CaseReport, type TraceJson, flowGraph, openSqliteStore, storeLookups, toGexf, toHtmlReport, traceReport } from '@cryptotrace/adapters';
import { CtraceError, getChain } from '@cryptotrace/core';
import type { CommandContext } from '../context.js';
import { formatAmount, formatId, paint, safeText, toJson } from '../output.js';
import { intOption, writeOut } from './export.js';
import { addressFacts } from './export-facts.js';
import { writeDemoScenario } from './demo-scenario.js';
import { firstLine, parseOutput } from '../in-process.js';

export interface DemoOptions {
  out?: string;
  txs?: string;
  seed?: string;
}

interface DemoStep {
  step: string;
  status: 'done' | 'skipped' | 'failed';
  note: string;
}

/** `ctrace demo [--out DIR]`: a whole investigation of the built-in darknet-market scenario, offline, in seconds. */
export async function demo(ctx: CommandContext, opts: DemoOptions): Promise<number> {
  const out = resolve(ctx.cwd, opts.out ?? 'cryptotrace-demo');
  const txs = intOption(opts.txs, '--txs', 400, 10);
  const seed = intOption(opts.seed, '--seed', 7, 0);
  try {
    mkdirSync(out, { recursive: true });
  } catch (err) {
    throw new CtraceError('USAGE', `cannot create ${out} (${(err as NodeJS.ErrnoException).code ?? 'error'}): choose another --out`, { cause: err });
  }
  const db = join(out, 'case.db');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const steps: DemoStep[] = [];
  const say = (s: DemoStep) => {
    steps.push(s);
    ctx.io.err(`${s.status === 'done' ? paint('green', 'done   ') : s.status === 'skipped' ? paint('yellow', 'skipped') : paint('red', 'failed ')} ${s.step}: ${s.note}\n`);
  };
  const have = ctx.inProcess.commands();
  const outputs: unknown[] = [];
  const fail = (note: string) => {
    say({ step: 'trace', status: 'failed', note });
    return 1;
  };
  /** Run a step through the same command a person would type; a missing command is skipped, not faked. */
  const step = async (name: string, argv: string[], note: (json: unknown) => string) => {
    if (!have.has(argv[0])) return say({ step: name, status: 'skipped', note: `this build has no \`ctrace ${argv[0]}\` yet` });
    const r = await ctx.inProcess.run(['--db', db, '--json', ...argv]);
    if (r.code !== 0) return say({ step: name, status: 'failed', note: firstLine(r.stderr) || `exit ${r.code}` });
    const json = parseOutput(r.stdout);
    outputs.push(json);
    say({ step: name, status: 'done', note: note(json) });
  };

  const scenario = await writeDemoScenario(join(out, 'chain'), txs, seed);
  say({ step: 'generate', status: 'done', note: `darknet-market scenario, ${scenario.transactions} transactions (seed ${seed})` });
  await step('ingest', ['ingest', ...scenario.files, '--chain', scenario.chain], (j) => `${(j as { transactions?: number }).transactions ?? '?'} transactions into ${db}`);
  await step('labels', ['labels', 'import', scenario.labels], () => `imported the investigator's labels: ${scenario.market.length} market addresses, exchanges and a mixer (${scenario.labels})`);
  await step('cluster', ['cluster', 'rebuild'], () => 'clusters built with the default rules and guards');
  // The market is more than its labelled addresses: its clusters hold the rest (multi-input, with its evidence).
  const market = new Set(scenario.market);
  if (have.has('cluster')) {
    for (const address of scenario.market) {
      const r = await ctx.inProcess.run(['--db', db, '--json', 'cluster', address, '--limit', '100000']);
      if (r.code === 0) for (const a of (parseOutput(r.stdout) as { addresses?: string[] }).addresses ?? []) market.add(a);
    }
    say({ step: 'market', status: 'done', note: `the market's ${scenario.market.length} labelled addresses cluster with ${market.size - scenario.market.length} more` });
  }
  // Trace from every market address (fifo, through services: we want to see where the money left the market).
  const traces: TraceJson[] = [];
  if (have.has('trace')) {
    for (const address of [...market].sort()) {
      const r = await ctx.inProcess.run(['--db', db, '--json', 'trace', address, '--direction', 'out', '--policy', 'fifo', '--hops', '6', '--stop-at', 'none', '--limit', '100000']);
      if (r.code === 0) traces.push(parseOutput(r.stdout) as TraceJson);
      else return fail(`trace ${address}: ${firstLine(r.stderr)}`);
    }
    const reached = traces.reduce((n, t) => n + t.flow.length, 0);
    say({ step: 'trace', status: 'done', note: `fifo taint from the market's ${market.size} addresses reached ${reached} outputs in 6 hops` });
  } else {
    say({ step: 'trace', status: 'skipped', note: 'this build has no `ctrace trace` yet: the report shows the plain fund flow' });
  }
  await step('suspects', ['suspects', '--source', 'darknet_market', '--limit', '1000'], (j) => `${(j as { suspects?: unknown[] })?.suspects?.length ?? '?'} wallets ranked by exposure to the market`);

  const facts = addressFacts(outputs);
  const store = openSqliteStore(db, { readonly: true });
  let report: CaseReport;
  try {
    report = traces.length
      ? traceReport(traces, getChain(scenario.chain))
      : flowGraph(store, { chain: scenario.chain, seeds: { addresses: scenario.market.slice(0, 12) }, direction: 'out', hops: 4, maxNodes: 400, ...storeLookups(store) });
    const { labelsOf } = storeLookups(store);
    report.graph.forEachNode((key, a) => {
      const labels = [...new Set([...(a.labels ?? []), ...labelsOf(scenario.chain, key)])];
      if (labels.length) report.graph.setNodeAttribute(key, 'labels', labels);
      const f = facts.get(key);
      if (f?.score !== null && f?.score !== undefined) report.graph.mergeNodeAttributes(key, { suspect: true, score: f.score });
    });
  } finally {
    store.close();
  }
  report.title = 'Darknet market: where the money went';
  report.summary = [['scenario', `darknet-market, seed ${seed}`], ['market addresses', `${scenario.market.length} labelled, ${market.size} with their clusters`], ['suspects', String(report.graph.filterNodes((_k, a) => Boolean(a.suspect)).length)], ...(report.summary ?? [])];
  writeOut(join(out, 'report.html'), toHtmlReport(report));
  writeOut(join(out, 'case.gexf'), toGexf(report));
  const nodes = report.graph.order;
  const edges = report.graph.size;
  // The ranking as suspects gave it (rank order), not re-sorted here.
  type Ranked = { wallet: string; score: string; parts?: { tainted?: string } };
  const ranked = (outputs.find((o) => Array.isArray((o as { suspects?: unknown })?.suspects)) as { suspects: Ranked[] } | undefined)?.suspects ?? [];
  const top = ranked.slice(0, 5).map((r) => ({ address: r.wallet, score: r.score, tainted: r.parts?.tainted ?? null }));
  const result = { out, db, report: join(out, 'report.html'), gexf: join(out, 'case.gexf'), nodes, edges, marketAddresses: market.size, labelledMarketAddresses: scenario.market.length, topSuspects: top, steps };
  if (ctx.json) {
    ctx.io.out(toJson(result));
  } else {
    const skipped = steps.filter((s) => s.status !== 'done').map((s) => s.step);
    ctx.io.out(`\n${paint('bold', 'cryptotrace demo')}: a darknet market's money (${market.size} addresses, ${scenario.market.length} of them labelled), followed with fifo taint\n`);
    const unit = getChain(scenario.chain);
    for (const [i, t] of top.entries()) ctx.io.out(`  suspect ${i + 1}  ${formatId(t.address)}  score ${safeText(t.score)}${t.tainted ? `, ${formatAmount(BigInt(t.tainted), unit)} from the market` : ''}\n`);
    ctx.io.out(`  report  ${result.report}   (open it in a browser; works offline)\n  gephi   ${result.gexf}\n  store   ${db}   (try: ctrace --db ${db} stats)\n  graph   ${nodes} nodes, ${edges} edges\n`);
    if (skipped.length) ctx.io.out(`  not run: ${skipped.join(', ')} (see above)\n`);
  }
  return steps.some((s) => s.status === 'failed') ? 1 : 0;
}
