import type { ParsedLabels } from '@cryptotrace/core';
import { chainOfCurrency, makeLabel, malformed } from './record.js';

/** The asset an OFAC list file is for, from its name (`sanctioned_addresses_XBT.json`), or null. */
export function ofacAsset(name: string): string | null {
  return /^sanctioned_addresses_([A-Z0-9]+)\.(json|txt)$/.exec(name)?.[1] ?? null;
}

/**
 * Parse one per-asset list of the OFAC SDN digital currency addresses (a JSON array of strings, or one address a
 * line): category `sanctioned`, source `ofac-sdn`, confidence 100. Assets cryptotrace has no chain for are refused.
 * @param file for messages
 * @param text the file's text
 * @param asset the asset ticker (XBT, ETH, USDT, ...)
 * @throws CtraceError INPUT_MALFORMED when a JSON list is not an array of strings
 * @example parseOfacList('sanctioned_addresses_XBT.txt', text, 'XBT').labels.length
 */
export function parseOfacList(file: string, text: string, asset: string): ParsedLabels {
  let entries: string[];
  if (file.endsWith('.json')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw malformed(file, `not JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(data) || data.some((x) => typeof x !== 'string')) throw malformed(file, 'not a JSON array of address strings');
    entries = data as string[];
  } else {
    entries = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  }
  const out: ParsedLabels = { format: 'ofac-list', labels: [], read: 0, refused: [] };
  entries.forEach((address, k) => {
    out.read++;
    const label = makeLabel(chainOfCurrency(asset, address), asset, address, { category: 'sanctioned', source: 'ofac-sdn', confidence: 100, name: `OFAC SDN (${asset})` });
    if (typeof label === 'string') out.refused.push({ at: `entry ${k + 1}`, reason: label });
    else out.labels.push(label);
  });
  return out;
}
