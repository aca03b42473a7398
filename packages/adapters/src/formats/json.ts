import { CtraceError } from '@cryptotrace/core';

const AMOUNT_KEYS = /"(value|fee|input_value|output_value)"(\s*):(\s*)(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/g;

/**
 * JSON.parse that keeps amounts exact: the numbers under `value`, `fee`, `input_value` and `output_value` are
 * kept as their decimal text, since a double cannot hold every satoshi amount (Dogecoin's exceed 2^53).
 * @throws CtraceError INPUT_MALFORMED
 */
export function parseJsonExact(text: string, where: string): unknown {
  try {
    return JSON.parse(text.replace(AMOUNT_KEYS, '"$1"$2:$3"$4"'));
  } catch (cause) {
    throw new CtraceError('INPUT_MALFORMED', `${where}: invalid JSON (${(cause as Error).message}); the file may be truncated`, { cause });
  }
}

/**
 * An amount in coin units (`"0.00012345"`, `12`, `1e-8`) as base units, exactly.
 * @throws CtraceError INPUT_MALFORMED when it has more decimals than the chain's base unit
 */
export function coinsToBase(amount: unknown, decimals: number, where: string): bigint {
  const text = String(amount).trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!m) throw new CtraceError('INPUT_MALFORMED', `${where}: amount "${text.slice(0, 40)}" is not a number`);
  let digits = m[2] + (m[3] ?? '');
  let scale = (m[3] ?? '').length - Number(m[4] ?? 0) - decimals;
  // digits * 10^-scale base units
  while (scale > 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    scale--;
  }
  if (scale > 0) throw new CtraceError('INPUT_MALFORMED', `${where}: amount ${text} has more than ${decimals} decimals`);
  const value = BigInt(digits) * 10n ** BigInt(-scale);
  return m[1] === '-' ? -value : value;
}

/** An integer amount in base units, from a JSON number or string. */
export function baseUnits(amount: unknown, where: string): bigint {
  return coinsToBase(amount, 0, where);
}

/** Read a required field, with a clear error when it is missing. */
export function field<T = unknown>(obj: Record<string, unknown>, key: string, where: string): T {
  const v = obj[key];
  if (v === undefined || v === null) throw new CtraceError('INPUT_MALFORMED', `${where}: field "${key}" is missing`);
  return v as T;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
