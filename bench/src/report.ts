import type { BeforeRow, BenchResults, ResultRow, Side } from './results.js';

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en') : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const sizeText = (n: number | null) => (n === null ? '' : n >= 1000 && Math.log10(n) % 1 === 0 ? `10^${Math.log10(n)}` : n.toLocaleString('en'));
const cpu = (s: Side) => (typeof s.details.cpuSeconds === 'number' ? `, CPU ${fmt(s.details.cpuSeconds)} s` : '');
const sideText = (s: Side | null) => (s ? `${fmt(s.value)} ${s.unit}${s.seconds !== null ? ` (${fmt(s.seconds)} s${cpu(s)})` : ''}` : '');
const rss = (s: Side | null) => (s && s.maxRssMb > 0 ? `${fmt(s.maxRssMb)} MB` : '–');

function ratioText(r: ResultRow): string {
  if (r.ratio === null) return '';
  const target = r.target === null ? '' : ` (target ≥ ${r.target})`;
  return `**${r.ratio.toFixed(2)}**${target}`;
}

/** The newest earlier record of a case, and its position in the list (its footnote number). */
function beforeOf(id: string, results: BenchResults): { row: BeforeRow; n: number } | null {
  const records = results.before ?? [];
  for (let k = records.length - 1; k >= 0; k--) if (records[k].rows[id]) return { row: records[k].rows[id], n: k + 1 };
  return null;
}

function beforeText(r: ResultRow, results: BenchResults): string {
  const found = beforeOf(r.id, results);
  if (!found || !r.subject) return '';
  const b = found.row;
  const mark = (results.before?.length ?? 0) > 1 ? ` [${found.n}]` : '';
  if (b.failed) return `${b.failed} → ${fmt(r.subject.seconds ?? 0)} s${mark}`;
  const after = r.subject.details.cpuSeconds;
  const cpuText = b.cpuSeconds !== undefined && typeof after === 'number' ? `; CPU ${fmt(b.cpuSeconds)} → ${fmt(after)} s, ×${(b.cpuSeconds / after).toFixed(1)}` : '';
  return `${fmt(b.value)} → ${fmt(r.subject.value)} ${r.subject.unit} (×${(r.subject.value / b.value).toFixed(2)}${cpuText}${b.ratio !== null ? `; ratio ${b.ratio.toFixed(2)} → ${r.ratio!.toFixed(2)}` : ''})${mark}`;
}

/** The results as a markdown table with the machine, the load, growth and notes. */
export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const lines = [
    `# cryptotrace benchmarks`,
    '',
    `${results.startedAt} · ${results.mode} (${results.sizes.map(sizeText).join(', ')} txs) · commit ${results.commit}`,
    `Machine: ${m.nproc} × ${m.cpu}, ${m.memTotalGb} GB RAM (${m.memAvailableGb} GB available), Node ${m.node}, ${m.platform}; load average ${results.load.start.join(' ')} at start, ${results.load.end.join(' ')} at end.`,
    '',
    '| case | size | ours | reference | ratio | peak RSS ours / ref | before → after | status |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results.rows) {
    const what = r.subject && r.reference ? `${r.subject.label} vs ${r.reference.label}` : '';
    lines.push(`| ${r.id} | ${sizeText(r.size)} | ${sideText(r.subject)} | ${sideText(r.reference)} | ${ratioText(r)} | ${rss(r.subject)} / ${rss(r.reference)} | ${beforeText(r, results)} | ${r.status}${what ? `: ${what}` : ''} |`);
  }
  const notes = results.rows.filter((r) => r.note);
  if (notes.length > 0) {
    lines.push('', '## Notes', '');
    for (const r of notes) lines.push(`- ${r.id}: ${r.note}`);
  }
  if (results.growth.length > 0) {
    lines.push('', '## Growth', '', '| stage | size | time | µs per tx | peak RSS | time exponent | memory exponent |', '|---|---|---|---|---|---|---|');
    for (const g of results.growth) {
      g.points.forEach((p, k) => {
        lines.push(`| ${g.stage} | ${sizeText(p.size)} | ${fmt(p.seconds)} s | ${fmt(p.usPerTx)} | ${fmt(p.maxRssMb)} MB | ${k === 0 ? '' : g.timeExponents[k - 1]} | ${k === 0 ? '' : g.memoryExponents[k - 1]} |`);
      });
    }
    lines.push('', 'An exponent of 1 is linear growth (time ∝ size); memory near 0 means it does not grow with the chain.');
  }
  (results.before ?? []).forEach((b, k) => {
    const mark = (results.before?.length ?? 0) > 1 ? `[${k + 1}] ` : '';
    lines.push('', `${mark}"before" figures: ${b.note}, commit ${b.commit}, ${b.measuredAt}, load ${b.load.join(' ')}.`);
    const ingest = Object.entries(b.rows).filter(([id]) => id.startsWith('ingest-')).map(([id, r]) => ({ n: Number(id.slice(7)), ...r })).sort((x, y) => x.n - y.n);
    if (ingest.length > 0) {
      lines.push('', '| before: ingest | time | CPU | tx/s | peak RSS | time exponent |', '|---|---|---|---|---|---|');
      ingest.forEach((r, k) => {
        const e = k === 0 || r.seconds === null || ingest[k - 1].seconds === null ? '' : (Math.log(r.seconds / ingest[k - 1].seconds!) / Math.log(r.n / ingest[k - 1].n)).toFixed(2);
        lines.push(`| ${sizeText(r.n)} | ${r.seconds === null ? '' : `${fmt(r.seconds)} s`} | ${r.cpuSeconds === undefined ? '' : `${fmt(r.cpuSeconds)} s`} | ${fmt(r.value)} | ${fmt(r.maxRssMb)} MB | ${e} |`);
      });
    }
  });
  return `${lines.join('\n')}\n`;
}
