import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { core, fixtures } from './deps.js';
import { PUBLISHED_CHANGE } from './published.js';

type UtxoTransaction = import('../../../packages/core/dist/index.js').UtxoTransaction;
type Calibration = import('../../../packages/core/dist/index.js').Calibration;

/**
 * `node bench/accuracy/dist/calibrate.js`: how far the change vote's reported confidence can be trusted, on era
 * worlds whose truth is known (heuristics.md §2). For every judged transaction of every world (eras × scenarios ×
 * seeds): each change rule's opinion, its errors (it rules out every true change output) and which other rules
 * err with it; and the combined pick's reported confidence against the truth, bucketed, before (independent votes,
 * fingerprintRedundancy 0) and after (the default combination).
 */
const { values } = parseArgs({
  options: {
    eras: { type: 'string', default: '587500,450000' },
    scenarios: { type: 'string', default: 'economy,darknet-market' },
    seeds: { type: 'string', default: 'cal-1,cal-2,cal-3' },
    txs: { type: 'string', default: '20000' },
    json: { type: 'boolean', default: false },
  },
});

const RULES = core.CHANGE_RULE_IDS;
const FINGERPRINTS = RULES.filter((r) => r.endsWith('-fingerprint'));
const OWN = RULES.filter((r) => !r.endsWith('-fingerprint') && r !== 'address-reuse');
const COMBINATIONS = { before: { ...core.defaultCombineChangeParams, fingerprintRedundancy: 0 }, after: core.defaultCombineChangeParams };
const THRESHOLD = core.parseRuleSet('change').change.threshold;

interface RuleStat { unique: number; uniqueCorrect: number; withChange: number }
interface PairStat { both: number; errA: number; errB: number; errBoth: number }
const ruleStats = new Map(RULES.map((r) => [r, { unique: 0, uniqueCorrect: 0, withChange: 0 } as RuleStat]));
const pairStats = new Map<string, PairStat>();
const decisions: Record<keyof typeof COMBINATIONS, { confidence: number; correct: boolean; votes: string }[]> = { before: [], after: [] };
const worlds: { world: string; judged: number; before: Calibration; after: Calibration }[] = [];

for (const era of values.eras!.split(',').map(Number)) {
  for (const scenario of values.scenarios!.split(',')) {
    for (const seed of values.seeds!.split(',')) {
      const dir = mkdtempSync(join(tmpdir(), 'ctrace-calibrate-'));
      let txs: UtxoTransaction[];
      let truth: ReturnType<typeof fixtures.loadTruth>;
      try {
        fixtures.generateScenario(scenario, { txs: Number(values.txs), seed, out: dir, model: true, era });
        truth = fixtures.loadTruth(dir);
        txs = [...fixtures.readUtxoTransactions(dir)];
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const byTxid = new Map(truth.transactions.map((t) => [t.txid, t]));
      const ctxOf = core.memoryContext(txs);
      const mine: typeof decisions = { before: [], after: [] };
      let judged = 0;
      for (const tx of txs) {
        const t = byTxid.get(tx.txid);
        // As bench/accuracy judges change, and as a change link is made: no CoinJoin or ambiguous transaction.
        if (!t || t.owner === null || t.coinjoin || core.isCoinbase(tx) || core.detectCoinjoin(tx).guarded) continue;
        const outs = tx.outputs.filter((o) => o.scriptType !== 'nulldata').length;
        if (outs < 2) continue;
        judged++;
        const ctx = ctxOf(tx);
        if (t.change.length > 0) for (const r of RULES) ruleStats.get(r)!.withChange++;
        const err = new Map<string, boolean>();
        for (const r of RULES) {
          const v = core.CHANGE_RULES[r](tx, ctx);
          if (!v || v.candidates.length === 0 || v.candidates.length >= outs) continue;
          if (v.candidates.length === 1) {
            ruleStats.get(r)!.unique++;
            if (t.change.includes(v.candidates[0])) ruleStats.get(r)!.uniqueCorrect++;
          }
          if (t.change.length > 0) err.set(r, !t.change.some((c) => v.candidates.includes(c)));
        }
        for (const [a, ea] of err) {
          for (const [b, eb] of err) {
            if (a === b) continue;
            const key = `${a}\u0000${b}`;
            const s = pairStats.get(key) ?? { both: 0, errA: 0, errB: 0, errBoth: 0 };
            s.both++;
            if (ea) s.errA++;
            if (eb) s.errB++;
            if (ea && eb) s.errBoth++;
            pairStats.set(key, s);
          }
        }
        for (const name of ['before', 'after'] as const) {
          const d = core.combineChange(tx, ctx, COMBINATIONS[name]);
          if (d) mine[name].push({ confidence: d.confidence, correct: t.change.includes(d.outputIndex), votes: d.votes.map((v) => v.rule).sort().join('+') });
        }
      }
      decisions.before.push(...mine.before);
      decisions.after.push(...mine.after);
      const world = `${scenario} era ${era} seed ${seed}`;
      worlds.push({ world, judged, before: core.calibration(mine.before), after: core.calibration(mine.after) });
      process.stderr.write(`${world}: ${judged} judged, ${mine.after.length} picks\n`);
    }
  }
}

const pct = (x: number, d = 2) => `${(x * 100).toFixed(d)} %`;
const md = (headers: string[], rows: string[][]) => [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
/** Pooled co-errors over ordered pairs of a group: P(B errs | A errs) and the same chance with A's error unknown. */
function pooled(as: readonly string[], bs: readonly string[]): PairStat {
  const s = { both: 0, errA: 0, errB: 0, errBoth: 0 };
  for (const a of as) for (const b of bs) {
    const p = pairStats.get(`${a}\u0000${b}`);
    if (a === b || !p) continue;
    s.both += p.both; s.errA += p.errA; s.errB += p.errB; s.errBoth += p.errBoth;
  }
  return s;
}
const pairRow = (name: string, s: PairStat) => [name, String(s.both), String(s.errA), `${s.errBoth} / ${s.errA}`, s.errA ? (s.errBoth / s.errA).toFixed(3) : '-', s.both ? (s.errB / s.both).toFixed(4) : '-', s.errA && s.errB ? ((s.errBoth / s.errA) / (s.errB / s.both)).toFixed(1) : '-'];
const reliability = (c: Calibration) => md(['confidence', 'picks', 'mean confidence', 'observed precision', 'wrong'], c.buckets.map((b) => [`[${b.from}, ${b.to}${b.to === 1 ? ']' : ')'}`, String(b.links), b.meanConfidence.toFixed(4), b.observed.toFixed(4), String(b.links - b.correct)]));
const above = (ds: { confidence: number; correct: boolean }[]) => {
  const l = ds.filter((d) => d.confidence >= THRESHOLD);
  return `${l.length} picks ≥ ${THRESHOLD}, precision ${pct(l.filter((d) => d.correct).length / l.length, 3)}`;
};

if (values.json) {
  process.stdout.write(`${JSON.stringify({ rules: Object.fromEntries(ruleStats), pairs: Object.fromEntries(pairStats), worlds, before: core.calibration(decisions.before), after: core.calibration(decisions.after) }, null, 2)}\n`);
} else {
  const out: string[] = [];
  out.push(`# Change confidence calibration (${worlds.length} era worlds: eras ${values.eras}, ${values.scenarios}, seeds ${values.seeds}, ${values.txs} transactions each; generator v${fixtures.GENERATOR_VERSION})\n`);
  out.push('## Each rule alone (a unique pick), pooled\n');
  out.push(md(['rule', 'picks', 'precision (worlds)', 'real chain (Möser & Narayanan)', 'coverage (worlds)'], RULES.map((r) => {
    const s = ruleStats.get(r)!;
    const pub = PUBLISHED_CHANGE[r];
    return [r, String(s.unique), s.unique ? pct(s.uniqueCorrect / s.unique) : '-', pub ? pct(pub.precision, 1) : 'certain', pct(s.withChange ? s.uniqueCorrect / s.withChange : 0)];
  })));
  out.push('\n## Errors together: when rule A rules out the true change, does B too? (both holding an opinion)\n');
  const headers = ['A → B', 'both opine', 'A errs', 'both err', 'P(B errs \| A errs)', 'P(B errs)', 'lift'];
  const fpRows = FINGERPRINTS.flatMap((a) => FINGERPRINTS.filter((b) => b !== a && (pairStats.get(`${a}\u0000${b}`)?.errA ?? 0) >= 5).map((b) => pairRow(`${a} → ${b}`, pairStats.get(`${a}\u0000${b}`)!)));
  out.push(md(headers, [
    ...fpRows,
    pairRow('**fingerprint → fingerprint, pooled**', pooled(FINGERPRINTS, FINGERPRINTS)),
    pairRow('**fresh-address → other own rule, pooled**', pooled(['fresh-address'], OWN)),
    pairRow('**own rule → own rule except fresh-address, pooled**', pooled(OWN.filter((r) => r !== 'fresh-address'), OWN.filter((r) => r !== 'fresh-address'))),
    pairRow('**own rule → fingerprint, pooled**', pooled(OWN, FINGERPRINTS)),
    pairRow('**fingerprint → own rule, pooled**', pooled(FINGERPRINTS, OWN)),
  ]));
  for (const name of ['before', 'after'] as const) {
    const c = core.calibration(decisions[name]);
    out.push(`\n## Reliability of the combined pick, ${name === 'before' ? 'before (independent votes)' : `after (fingerprints one vote, redundancy ${core.defaultCombineChangeParams.fingerprintRedundancy})`}: ECE ${c.ece.toFixed(4)}, over-confidence ${c.overconfidence.toFixed(5)}; ${above(decisions[name])}\n`);
    out.push(reliability(c));
  }
  out.push('\n## Per world: expected calibration error before → after (over-confidence after)\n');
  out.push(md(['world', 'judged', 'ECE before', 'ECE after', 'over-confidence after'], worlds.map((w) => [w.world, String(w.judged), w.before.ece.toFixed(4), w.after.ece.toFixed(4), w.after.overconfidence.toFixed(5)])));
  process.stdout.write(out.join('\n'));
}
