import { CtraceError, type Label, getChain, isCtraceError, normalizeAddress, normalizeCategory } from '@cryptotrace/core';

/** Tickers and network names that label sources use, and the chain each means here. */
const CURRENCY_CHAINS: Record<string, string> = {
  BTC: 'bitcoin', XBT: 'bitcoin', LTC: 'litecoin', DOGE: 'dogecoin', ETH: 'ethereum', ETC: 'evm-61', BSC: 'bsc', BEP20: 'bsc', BNB: 'bsc',
  MATIC: 'polygon', POL: 'polygon', POLYGON: 'polygon', AVAX: 'avalanche', ARB: 'arbitrum', OP: 'optimism', FTM: 'evm-250', BASE: 'base',
};
/** Stablecoin tickers: the chain follows from the address form (0x: Ethereum; anything else is not supported). */
const TOKEN_TICKERS = new Set(['USDT', 'USDC', 'DAI', 'BUSD']);

/**
 * The chain a source's currency or network name means, or null when cryptotrace does not support it.
 * @example chainOfCurrency('XBT', '1A1z...') // 'bitcoin'
 */
export function chainOfCurrency(currency: string, address: string): string | null {
  const c = currency.trim().toUpperCase();
  if (TOKEN_TICKERS.has(c)) return /^0x[0-9a-fA-F]{40}$/.test(address.trim()) ? 'ethereum' : null;
  if (CURRENCY_CHAINS[c]) return CURRENCY_CHAINS[c];
  try {
    return getChain(currency.trim().toLowerCase()).name;
  } catch {
    return null;
  }
}

export interface LabelFields {
  category: string;
  source: string;
  confidence: number;
  actor?: string | null;
  validFrom?: string | null;
  name?: string | null;
}

/**
 * One label, its address normalized for its chain, or the reason it is refused.
 * @returns a Label, or a string saying why not
 */
export function makeLabel(chain: string | null, currencyText: string, addressText: string, f: LabelFields): Label | string {
  if (chain === null) {
    const c = currencyText.trim().toUpperCase();
    return TOKEN_TICKERS.has(c) ? `${c} outside Ethereum (not a 0x address) is not supported by cryptotrace` : `chain "${clip(currencyText)}" is not supported by cryptotrace`;
  }
  let address: string;
  try {
    address = normalizeAddress(getChain(chain), addressText);
  } catch (err) {
    if (isCtraceError(err)) return err.shortMessage;
    throw err;
  }
  const category = normalizeCategory(f.category);
  if (!category) return 'no category';
  return { chain, address, category, actor: (f.actor ?? '').trim().slice(0, 200), source: f.source, confidence: f.confidence, validFrom: f.validFrom ?? null, name: f.name?.slice(0, 500) ?? null };
}

/** A date from a source (YYYY-MM-DD...), or a malformed-file error. */
export function isoDate(file: string, where: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = value instanceof Date ? value.toISOString() : String(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(Date.parse(text.slice(0, 10)))) throw malformed(file, `${where}: "${clip(text)}" is not a date (YYYY-MM-DD)`);
  return text.slice(0, 10);
}

/** The one-line error for a label file that cannot be read as its format: nothing of it is imported. */
export function malformed(file: string, what: string): CtraceError {
  return new CtraceError('INPUT_MALFORMED', `${file}: ${what}; nothing from this file was imported: fix the file or give --format`);
}

/** Untrusted text, shortened and stripped of control characters, for messages. */
export function clip(s: string): string {
  const safe = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return safe.length > 60 ? `${safe.slice(0, 57)}...` : safe;
}
