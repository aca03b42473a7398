import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flowGraph, openSqliteStore, storeLookups, toGexf, toHtmlReport } from '@cryptotrace/adapters';
import type { CommandContext } from '../context.js';
import { formatId, paint, toJson } from '../output.js';
import { intOption, writeOut } from './export.js';
import { addressFacts } from './export-facts.js';
import { writeDemoScenario } from './demo-scenario.js';
import { availableCommands, ctraceInProcess, firstLine, parseOutput } from './replay-run.js';

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
  mkdirSync(out, { recursive: true });
  const db = join(out, 'case.db');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const steps: DemoStep[] = [];
  const say = (s: DemoStep) => {
    steps.push(s);
    ctx.io.err(`${s.status === 'done' ? paint('green', 'done   ') : s.status === 'skipped' ? paint('yellow', 'skipped') : paint('red', 'failed ')} ${s.step}: ${s.note}\n`);
  };
  const have = await availableCommands();
  const outputs: unknown[] = [];
  /** Run a step through the same command a person would type; a missing command is skipped, not faked. */
  const step = async (name: string, argv: string[], note: (json: unknown) => string) => {
    if (!have.has(argv[0])) return say({ step: name, status: 'skipped', note: `this build has no \`ctrace ${argv[0]}\` yet` });
    const r = await ctraceInProcess(['--db', db, '--json', ...argv]);
    if (r.code !== 0) return say({ step: name, status: 'failed', note: firstLine(r.stderr) || `exit ${r.code}` });
    const json = parseOutput(r.stdout);
    outputs.push(json);
    say({ step: name, status: 'done', note: note(json) });
  };

  const scenario = await writeDemoScenario(join(out, 'chain'), txs, seed);
  say({ step: 'generate', status: 'done', note: `darknet-market scenario, ${scenario.transactions} transactions (seed ${seed})` });
  await step('ingest', ['ingest', ...scenario.files, '--chain', scenario.chain], (j) => `${(j as { transactions?: number }).transactions ?? '?'} transactions into ${db}`);
  if (scenario.labels) await step('labels', ['labels', 'import', scenario.labels], () => `imported ${scenario.labels}`);
  else say({ step: 'labels', status: 'skipped', note: 'the scenario wrote no labels file' });
  await step('cluster', ['cluster', 'rebuild'], () => 'clusters built with the default rules and guards');
  const seeds = scenario.market.slice(0, 12);
  await step('trace', ['trace', ...seeds.slice(0, 1), '--direction', 'out', '--policy', 'fifo'], () => `fifo taint from the market (${scenario.market.length} addresses)`);
  await step('suspects', ['suspects'], (j) => `${Array.isArray(j) ? j.length : ((j as { suspects?: unknown[] })?.suspects?.length ?? '?')} wallets ranked`);

  const store = openSqliteStore(db, { readonly: true });
  let nodes = 0;
  let edges = 0;
  const facts = addressFacts(outputs);
  try {
    const report = flowGraph(store, { chain: scenario.chain, seeds: { addresses: seeds }, direction: 'out', hops: 4, maxNodes: 400, title: 'Darknet market: where the money went', ...storeLookups(store) });
    report.graph.forEachNode((key, a) => {
      const f = facts.get(key);
      if (!f) return;
      if (f.tainted !== null) report.graph.setNodeAttribute(key, 'tainted', f.tainted.toString());
      if (f.score !== null) report.graph.mergeNodeAttributes(key, { suspect: true, score: f.score });
      if (f.labels.length) report.graph.setNodeAttribute(key, 'labels', [...new Set([...(a.labels ?? []), ...f.labels])]);
    });
    report.summary = [['scenario', `darknet-market, seed ${seed}`], ['market addresses', String(scenario.market.length)], ...(report.summary ?? [])];
    writeOut(join(out, 'report.html'), toHtmlReport(report));
    writeOut(join(out, 'case.gexf'), toGexf(report));
    nodes = report.graph.order;
    edges = report.graph.size;
  } finally {
    store.close();
  }
  const result = { out, db, report: join(out, 'report.html'), gexf: join(out, 'case.gexf'), nodes, edges, marketAddresses: scenario.market.length, steps };
  if (ctx.json) {
    ctx.io.out(toJson(result));
  } else {
    const skipped = steps.filter((s) => s.status !== 'done').map((s) => s.step);
    ctx.io.out(`\n${paint('bold', 'cryptotrace demo')}: a darknet market's money, followed ${4} hops from ${Math.min(12, scenario.market.length)} of its ${scenario.market.length} addresses (first: ${formatId(seeds[0] ?? '-')})\n`);
    ctx.io.out(`  report  ${result.report}   (open it in a browser; works offline)\n  gephi   ${result.gexf}\n  store   ${db}   (try: ctrace --db ${db} stats)\n  graph   ${nodes} nodes, ${edges} edges\n`);
    if (skipped.length) ctx.io.out(`  not run: ${skipped.join(', ')} (see above)\n`);
  }
  return steps.some((s) => s.status === 'failed') ? 1 : 0;
}
