import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { CACHE_DIR } from './chain.js';
import { ROOT } from './deps.js';
import { growthOf } from './growth.js';
import { planCases } from './plan.js';
import { renderMarkdown } from './report.js';
import { type BeforeRecord, type BenchResults, type Machine, type ResultRow, beforeRecords } from './results.js';

/**
 * `pnpm bench [--quick|--tiny] [--sizes 10000,100000] [--only ingest,parse] [--out dir] [--before <commit>]`
 * (or BENCH_SIZES=...). Runs every case in its own process and writes results.json and results.md.
 * `--merge` keeps the rows of an earlier results.json in --out that this run did not measure (each row keeps its
 * own load), so that a 10^6 run can join a --quick one; `--render` only rewrites results.md from results.json. `--before <commit>` builds that commit's adapters and records its ingest and parse figures in bench/before.json.
 */
interface Args {
  mode: string;
  sizes: number[];
  only: string[] | null;
  out: string;
  recordBefore: boolean;
  before: string | null;
  merge: boolean;
}

const USAGE = `usage: pnpm bench [--quick | --tiny] [--sizes 10000,100000 | --size 1e7] [--only <stage>,...] [--out <dir>] [--merge] [--render] [--before <commit>] [--repeat <runs>]
  full (default): 10^4, 10^5, 10^6 transactions; --quick: 10^4, 10^5; --tiny: 2,000. Writes <out>/results.json and results.md.
  --repeat: runs of each measurement, the median reported (default 5 up to 10^4 and for parse, 3 at 10^5, 1 at 10^6).
  stages: ingest, ingest-vs-schema, parse, cluster, cluster-multi-input, cluster-all-rules, cluster-vs-written, cluster-update, taint-haircut, taint-fifo, trace-report, fetch, watch, watch-wake, features`;
const FLAGS = new Set(['--tiny', '--quick', '--merge', '--render', '--record-before']);
const VALUED = new Set(['--sizes', '--size', '--only', '--out', '--before', '--repeat']);

function parseArgs(argv: string[]): Args {
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (VALUED.has(a) && k + 1 < argv.length) k++;
    else if (!FLAGS.has(a)) {
      // A mistyped flag must not start a run of an hour with the defaults.
      console.error(`bench: ${VALUED.has(a) ? `${a} needs a value` : `unknown argument ${a}`}; see pnpm bench --help`);
      process.exit(2);
    }
  }
  const value = (flag: string) => {
    const k = argv.indexOf(flag);
    return k >= 0 ? argv[k + 1] : undefined;
  };
  let mode = argv.includes('--tiny') ? 'tiny' : argv.includes('--quick') ? 'quick' : 'full';
  const preset: Record<string, number[]> = { tiny: [2_000], quick: [10_000, 100_000], full: [10_000, 100_000, 1_000_000] };
  let sizes = preset[mode];
  const repeat = value('--repeat');
  if (repeat !== undefined) {
    if (!/^[1-9]\d*$/.test(repeat)) {
      console.error(`bench: --repeat takes a whole number of runs, at least 1 (got ${repeat})`);
      process.exit(2);
    }
    // Read where the cases are planned (plan.ts repeatsFor).
    process.env.BENCH_REPEAT = repeat;
  }
  const custom = value('--sizes') ?? value('--size') ?? process.env.BENCH_SIZES;
  if (custom) {
    sizes = custom.split(',').map((s) => Number(s.replace(/_/g, '')));
    if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new Error(`--sizes: whole numbers of transactions, at least 100 (got ${custom})`);
    mode = 'custom';
  }
  return {
    mode,
    sizes,
    only: value('--only')?.split(',') ?? null,
    out: value('--out') ?? join(ROOT, 'bench'),
    recordBefore: argv.includes('--record-before') || value('--before') !== undefined,
    before: value('--before') ?? null,
    merge: argv.includes('--merge'),
  };
}

function machine(): Machine {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(info)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const meminfo = existsSync('/proc/meminfo') ? readFileSync('/proc/meminfo', 'utf8') : '';
  const avail = Number(/MemAvailable:\s*(\d+)/.exec(meminfo)?.[1] ?? freemem() / 1024) * 1024;
  return {
    nproc: cpus().length,
    cpu: model.trim(),
    memTotalGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    memAvailableGb: Math.round((avail / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages/adapters/src', 'packages/core/src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head}+uncommitted` : head;
  } catch {
    return 'unknown';
  }
}

const load3 = () => loadavg().map((x) => Math.round(x * 100) / 100) as [number, number, number];

/** Build another commit's adapters (its core comes from this tree) under bench/.cache, for before figures. */
function buildBefore(commit: string): string {
  const sha = execFileSync('git', ['rev-parse', '--short', commit], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(CACHE_DIR, `before-${sha}`);
  const dist = join(dir, 'packages/adapters/dist');
  if (!existsSync(join(dist, 'index.js'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    execSync(`git archive ${sha} packages/adapters tsconfig.base.json | tar -x -C '${dir}'`, { cwd: ROOT });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    symlinkSync(join(ROOT, 'packages/adapters/node_modules'), join(dir, 'packages/adapters/node_modules'));
    try {
      execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(dir, 'packages/adapters/tsconfig.json'), '--composite', 'false', '--declaration', 'false', '--declarationMap', 'false'], { cwd: dir, stdio: 'pipe' });
    } catch (err) {
      // Type errors against this tree's core still emit JavaScript; only a missing build is fatal.
      if (!existsSync(join(dist, 'index.js'))) throw err;
    }
  }
  return dist;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (process.argv.includes('--render')) {
    // Rewrite results.md from results.json (after a change to the table's layout), measuring nothing.
    const results = JSON.parse(readFileSync(join(args.out, 'results.json'), 'utf8')) as BenchResults;
    results.growth = growthOf(results.rows);
    const beforeFile = join(ROOT, 'bench/before.json');
    if (existsSync(beforeFile)) results.before = beforeRecords(JSON.parse(readFileSync(beforeFile, 'utf8')));
    writeFileSync(join(args.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(args.out, 'results.md'), renderMarkdown(results));
    return;
  }
  if (args.before) {
    process.env.BENCH_ADAPTERS_DIST = buildBefore(args.before);
    args.only ??= ['ingest', 'parse'];
  }
  const beforePath = join(ROOT, 'bench/before.json');
  const stored = existsSync(beforePath) ? beforeRecords(JSON.parse(readFileSync(beforePath, 'utf8'))) : [];
  const before = !args.recordBefore && stored.length > 0 ? stored : null;
  const startedAt = new Date().toISOString();
  const loadStart = load3();
  const rows: ResultRow[] = [];
  const plan = planCases(args.sizes, args.mode);
  const unknown = args.only?.filter((stage) => !plan.some((c) => c.stage === stage));
  if (unknown?.length) {
    console.error(`bench: no stage ${unknown.join(', ')}; stages: ${[...new Set(plan.map((c) => c.stage))].join(', ')}`);
    process.exit(2);
  }
  console.error(`bench: ${args.mode} (${args.sizes.join(', ')} txs), load ${loadStart.join(' ')}`);
  for (const c of plan) {
    if (args.only && !args.only.includes(c.stage)) continue;
    const t0 = Date.now();
    const row = await c.run();
    rows.push(row);
    const r = row.ratio === null ? '' : ` ratio ${row.ratio.toFixed(2)}`;
    console.error(`  ${row.id}: ${row.status}${r} (${((Date.now() - t0) / 1000).toFixed(1)} s)${row.note && row.status !== 'ok' ? ` - ${row.note}` : ''}`);
  }
  let sizes = args.sizes;
  const earlier = join(args.out, 'results.json');
  if (args.merge && existsSync(earlier)) {
    const old = JSON.parse(readFileSync(earlier, 'utf8')) as BenchResults;
    const ids = new Set(rows.map((r) => r.id));
    rows.unshift(...old.rows.filter((r) => !ids.has(r.id)));
    sizes = [...new Set([...old.sizes, ...sizes])].sort((a, b) => a - b);
  }
  const results: BenchResults = {
    version: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: args.merge ? `${args.mode}, merged` : args.mode,
    sizes,
    machine: machine(),
    load: { start: loadStart, end: load3() },
    commit: commit(),
    rows,
    growth: growthOf(rows),
    before,
  };
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(args.out, 'results.md'), renderMarkdown(results));
  if (args.recordBefore) {
    const record: BeforeRecord = {
      measuredAt: startedAt,
      commit: args.before ?? results.commit,
      load: loadStart,
      note: `ingest and parse of commit ${args.before ?? results.commit}'s adapters, measured by this harness (--before)`,
      rows: Object.fromEntries(
        rows.filter((r) => r.subject).map((r) => [r.id, { value: r.subject!.value, unit: r.subject!.unit, seconds: r.subject!.seconds, cpuSeconds: r.subject!.details.cpuSeconds as number, maxRssMb: r.subject!.maxRssMb, ratio: r.ratio }]),
      ),
    };
    // A new record of the same commit replaces the old one; others are kept.
    writeFileSync(beforePath, `${JSON.stringify([...stored.filter((b) => b.commit !== record.commit), record], null, 2)}\n`);
  }
  console.error(`bench: wrote ${join(args.out, 'results.json')} and results.md`);
}

await main();
