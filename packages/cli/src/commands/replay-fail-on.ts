import { CtraceError } from '@cryptotrace/core';

/** A `--fail-on` threshold: `exposure>=0.1` (a share, also `10%`) or `tainted>=100000` (base units). */
export interface FailOn {
  text: string;
  metric: 'exposure' | 'tainted';
  op: '>=' | '>';
  /** Shares as parts per million, amounts in base units: integers, so the comparison is exact. */
  threshold: bigint;
}

/**
 * Parse `--fail-on` text.
 * @throws CtraceError USAGE
 * @example parseFailOn('exposure>=10%') // { metric: 'exposure', op: '>=', threshold: 100000n, ... }
 */
export function parseFailOn(text: string): FailOn {
  const m = /^\s*(exposure|tainted)\s*(>=|>)\s*([0-9]+(?:\.[0-9]+)?)(%?)\s*$/.exec(text);
  if (!m) throw new CtraceError('USAGE', `--fail-on "${text}" is not a threshold: write exposure>=0.1, exposure>=10% or tainted>=100000 (base units)`);
  const [, metric, op, number, pct] = m;
  if (metric === 'tainted') {
    if (pct || number.includes('.')) throw new CtraceError('USAGE', `--fail-on "${text}": tainted takes a whole number of base units`);
    return { text, metric, op: op as FailOn['op'], threshold: BigInt(number) };
  }
  const ppm = toPpm(number, pct ? 4 : 6);
  if (ppm > 1_000_000n) throw new CtraceError('USAGE', `--fail-on "${text}": an exposure is a share between 0 and 1 (or 0% and 100%)`);
  return { text, metric: 'exposure', op: op as FailOn['op'], threshold: ppm };
}

/** A decimal text times 10^scale, truncated: '0.125', 6 -> 125000n. */
function toPpm(text: string, scale: number): bigint {
  const [whole, frac = ''] = text.split('.');
  return BigInt(whole + frac.padEnd(scale, '0').slice(0, scale));
}

/** What a step's JSON says about one address: its largest exposure (ppm) and tainted amount (base units) found. */
export interface Exposure {
  address: string;
  exposurePpm: bigint | null;
  tainted: bigint | null;
}

const SHARE_KEYS = ['exposure', 'share', 'taintShare', 'dirtyShare'];
const AMOUNT_KEYS = ['tainted', 'taint', 'dirty', 'exposureAmount'];

/**
 * Find what the JSON of trace and suspects steps reports for the watched addresses: any object whose `address`
 * (or `id`) is the watched address, or whose `addresses` list holds it, read for a share (`exposure`, `share`,
 * `taintShare`, `dirtyShare`, as a number or decimal text in 0..1) and an amount (`tainted`, `taint`, `dirty`).
 * The largest value wins.
 */
export function findExposures(outputs: unknown[], watch: string[]): Exposure[] {
  const found = new Map<string, Exposure>(watch.map((a) => [a, { address: a, exposurePpm: null, tainted: null }]));
  const visit = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const ids = [o.address, o.id, ...(Array.isArray(o.addresses) ? o.addresses : [])].filter((x): x is string => typeof x === 'string');
    for (const id of ids) {
      const e = found.get(id);
      if (!e) continue;
      for (const k of SHARE_KEYS) {
        const ppm = shareToPpm(o[k]);
        if (ppm !== null && (e.exposurePpm === null || ppm > e.exposurePpm)) e.exposurePpm = ppm;
      }
      for (const k of AMOUNT_KEYS) {
        const amount = typeof o[k] === 'string' && /^\d+$/.test(o[k] as string) ? BigInt(o[k] as string) : null;
        if (amount !== null && (e.tainted === null || amount > e.tainted)) e.tainted = amount;
      }
    }
    Object.values(o).forEach(visit);
  };
  outputs.forEach(visit);
  return [...found.values()];
}

function shareToPpm(v: unknown): bigint | null {
  const text = typeof v === 'number' ? v.toFixed(6) : typeof v === 'string' ? v : null;
  if (text === null || !/^[01](\.\d+)?$/.test(text)) return null;
  return toPpm(text, 6);
}

/** True when an exposure passes a threshold. */
export function passes(e: Exposure, f: FailOn): boolean {
  const v = f.metric === 'exposure' ? e.exposurePpm : e.tainted;
  if (v === null) return false;
  return f.op === '>=' ? v >= f.threshold : v > f.threshold;
}
