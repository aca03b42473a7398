/** What the JSON of a trace, cluster or suspects command says about one address. */
export interface AddressFacts {
  /** Largest share of illicit funds reported (parts per million). */
  exposurePpm: bigint | null;
  /** Largest tainted amount reported (base units). */
  tainted: bigint | null;
  /** Largest suspect score reported. */
  score: number | null;
  /** Labels reported beside it. */
  labels: string[];
}

const SHARE_KEYS = ['exposure', 'share', 'taintShare', 'dirtyShare'];
const AMOUNT_KEYS = ['tainted', 'taint', 'dirty', 'exposureAmount'];

/** A decimal text times 10^scale, truncated: '0.125', 6 -> 125000n. */
export function scaleDecimal(text: string, scale: number): bigint {
  const [whole, frac = ''] = text.split('.');
  return BigInt(whole + frac.padEnd(scale, '0').slice(0, scale));
}

const isDigits = (v: unknown): v is string => typeof v === 'string' && /^\d+$/.test(v);

function shareToPpm(v: unknown): bigint | null {
  const text = typeof v === 'number' ? v.toFixed(6) : typeof v === 'string' ? v : null;
  if (text === null || !/^[01](\.\d+)?$/.test(text)) return null;
  return scaleDecimal(text, 6);
}

/**
 * Collect per-address facts from command JSON without depending on one command's exact schema: any object whose
 * `address` (or `id`, `holder`, `wallet`) is a string, or whose `addresses` list holds strings, is read for a share (`exposure`,
 * `share`, `taintShare`, `dirtyShare`: a number or decimal text in 0..1), an amount (`tainted`, `taint`, `dirty`:
 * base-unit decimal text), a `score` and `labels`; a suspect's `parts.tainted / parts.received` is its exposure.
 * The largest value wins.
 * @param outputs parsed JSON of any commands
 * @param only when given, only these addresses
 */
export function addressFacts(outputs: unknown[], only?: string[]): Map<string, AddressFacts> {
  const facts = new Map<string, AddressFacts>();
  const wanted = only ? new Set(only) : null;
  const visit = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const ids = [o.address, o.id, o.holder, o.wallet, ...(Array.isArray(o.addresses) ? o.addresses : [])].filter((x): x is string => typeof x === 'string');
    for (const id of ids) {
      if (wanted && !wanted.has(id)) continue;
      const f = facts.get(id) ?? { exposurePpm: null, tainted: null, score: null, labels: [] };
      facts.set(id, f);
      // Suspects put the amounts in `parts`: exposure there is tainted / received.
      const parts = o.parts && typeof o.parts === 'object' ? (o.parts as Record<string, unknown>) : {};
      const ratio = isDigits(parts.tainted) && isDigits(parts.received) && BigInt(parts.received) > 0n ? (BigInt(parts.tainted) * 1_000_000n) / BigInt(parts.received) : null;
      if (ratio !== null && (f.exposurePpm === null || ratio > f.exposurePpm)) f.exposurePpm = ratio;
      if (isDigits(parts.tainted) && (f.tainted === null || BigInt(parts.tainted) > f.tainted)) f.tainted = BigInt(parts.tainted);
      for (const k of SHARE_KEYS) {
        const ppm = shareToPpm(o[k]);
        if (ppm !== null && (f.exposurePpm === null || ppm > f.exposurePpm)) f.exposurePpm = ppm;
      }
      for (const k of AMOUNT_KEYS) {
        const amount = typeof o[k] === 'string' && /^\d+$/.test(o[k] as string) ? BigInt(o[k] as string) : null;
        if (amount !== null && (f.tainted === null || amount > f.tainted)) f.tainted = amount;
      }
      const score = typeof o.score === 'number' ? o.score : typeof o.score === 'string' && /^\d+(\.\d+)?$/.test(o.score) ? Number(o.score) : null;
      if (score !== null && (f.score === null || score > f.score)) f.score = score;
      if (Array.isArray(o.labels)) for (const l of o.labels) if (typeof l === 'string' && !f.labels.includes(l)) f.labels.push(l);
    }
    Object.values(o).forEach(visit);
  };
  outputs.forEach(visit);
  return facts;
}
