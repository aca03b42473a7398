import { CtraceError } from '@cryptotrace/core';
import { addressFacts, scaleDecimal } from './export-facts.js';

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
  const ppm = scaleDecimal(number, pct ? 4 : 6);
  if (ppm > 1_000_000n) throw new CtraceError('USAGE', `--fail-on "${text}": an exposure is a share between 0 and 1 (or 0% and 100%)`);
  return { text, metric: 'exposure', op: op as FailOn['op'], threshold: ppm };
}

/** What a step's JSON says about one address: its largest exposure (ppm) and tainted amount (base units) found. */
export interface Exposure {
  address: string;
  exposurePpm: bigint | null;
  tainted: bigint | null;
}

/**
 * What the JSON of trace and suspects steps reports for the watched addresses (see {@link addressFacts}).
 */
export function findExposures(outputs: unknown[], watch: string[]): Exposure[] {
  const facts = addressFacts(outputs, watch);
  return watch.map((address) => ({ address, exposurePpm: facts.get(address)?.exposurePpm ?? null, tainted: facts.get(address)?.tainted ?? null }));
}

/** True when an exposure passes a threshold. */
export function passes(e: Exposure, f: FailOn): boolean {
  const v = f.metric === 'exposure' ? e.exposurePpm : e.tainted;
  if (v === null) return false;
  return f.op === '>=' ? v >= f.threshold : v > f.threshold;
}
