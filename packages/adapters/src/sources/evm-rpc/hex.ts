import { CtraceError, normalizeEvmAddress } from '@cryptotrace/core';

/** A JSON-RPC answer that does not have the shape the protocol promises. */
export function invalidAnswer(where: string, what: string): CtraceError {
  return new CtraceError('SOURCE_INVALID', `${where}: ${what}; nothing of this answer was stored`);
}

/**
 * A JSON-RPC quantity (`0x1a`, or a plain number as some trace APIs send) as a bigint.
 * @throws CtraceError SOURCE_INVALID
 * @example quantity('0x1a', 'block 1 gasUsed') // 26n
 */
export function quantity(v: unknown, where: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{1,64}$/.test(v)) return BigInt(v);
  if (v === '0x') return 0n;
  throw invalidAnswer(where, `expected a hex quantity, got ${JSON.stringify(v)?.slice(0, 40)}`);
}

/** A quantity that must fit a JS number (block numbers, indexes, nonces). @throws CtraceError SOURCE_INVALID */
export function smallQuantity(v: unknown, where: string): number {
  const n = quantity(v, where);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidAnswer(where, `quantity ${n} is too large`);
  return Number(n);
}

/** A 32-byte hash in lower case with 0x. @throws CtraceError SOURCE_INVALID */
export function hash32(v: unknown, where: string): string {
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{64}$/.test(v)) return v.toLowerCase();
  throw invalidAnswer(where, `expected a 32-byte hash, got ${JSON.stringify(v)?.slice(0, 80)}`);
}

/** An address in EIP-55 form. @throws CtraceError SOURCE_INVALID */
export function address(v: unknown, where: string): string {
  if (typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)) return normalizeEvmAddress(v.toLowerCase());
  throw invalidAnswer(where, `expected an address, got ${JSON.stringify(v)?.slice(0, 60)}`);
}

/** An address, or null where the field is absent (contract creation). */
export function optionalAddress(v: unknown, where: string): string | null {
  return v === null || v === undefined || v === '' ? null : address(v, where);
}

/** The address held in the low 20 bytes of a 32-byte log topic. @throws CtraceError SOURCE_INVALID */
export function topicAddress(topic: unknown, where: string): string {
  if (typeof topic !== 'string' || !/^0x0{24}[0-9a-fA-F]{40}$/.test(topic)) throw invalidAnswer(where, `topic ${String(topic).slice(0, 70)} is not an address`);
  return address(`0x${topic.slice(26)}`, where);
}

/** `n` as a JSON-RPC quantity. @example toQuantity(26) // '0x1a' */
export function toQuantity(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
