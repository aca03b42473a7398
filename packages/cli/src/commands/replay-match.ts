/** One difference between what a case expects and what a step gave. */
export interface Mismatch {
  /** Where, as a JSON path: `$.evidence[2].txid`. */
  at: string;
  expected: unknown;
  actual: unknown;
}

const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof v);
const show = (v: unknown) => (v === undefined ? '(missing)' : JSON.stringify(v));
const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

/**
 * Compare an expected value with an actual one, partially: an expected object names only the keys it cares about;
 * an expected list must have the same length, each item matched the same way; scalars compare as text, so
 * `262` matches `"262"` (amounts are decimal strings in the JSON).
 * @returns every difference, empty when the actual value matches
 * @example matchExpected({ size: 3 }, { size: 2, addresses: [] }) // [{ at: '$.size', expected: 3, actual: 2 }]
 */
export function matchExpected(expected: unknown, actual: unknown, at = '$'): Mismatch[] {
  if (scalar(expected)) {
    return scalar(actual) && String(expected) === String(actual) ? [] : [{ at, expected, actual }];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{ at, expected: `a list of ${expected.length}`, actual }];
    const out: Mismatch[] = [];
    if (expected.length !== actual.length) out.push({ at: `${at}.length`, expected: expected.length, actual: actual.length });
    expected.forEach((e, i) => out.push(...matchExpected(e, actual[i], `${at}[${i}]`)));
    return out;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return [{ at, expected: 'an object', actual }];
    return Object.entries(expected).flatMap(([k, e]) => matchExpected(e, (actual as Record<string, unknown>)[k], `${at}${key(k)}`));
  }
  return [];
}

/** A mismatch as one readable line: `  $.size: expected 3, got 2`. */
export function mismatchLine(m: Mismatch): string {
  const text = (v: unknown) => (typeof v === 'string' && !/^a (list|n object)/.test(v) ? show(v) : typeof v === 'string' ? v : show(v));
  return `  ${m.at}: expected ${text(m.expected)}, got ${show(m.actual)}`;
}
