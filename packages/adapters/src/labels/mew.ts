import type { ParsedLabels } from '@cryptotrace/core';
import { clip, makeLabel, malformed } from './record.js';

/**
 * Parse MyEtherWallet's darklist (or lightlist): `[{ "address", "comment", "date" }]`. Darklist entries are category
 * `scam`, lightlist entries `verified`; the comment is the name (untrusted text), the date (YYYY-MM-DD or M/D/YY) is
 * when the label holds from.
 * Source `mew-darklist` / `mew-lightlist`, confidence 70, chain ethereum.
 * @param file for messages
 * @param text the JSON
 * @param list which list the file is
 * @throws CtraceError INPUT_MALFORMED when the JSON is not such a list (an unreadable date refuses its entry only)
 * @example parseMewList('addresses-darklist.json', text, 'darklist')
 */
export function parseMewList(file: string, text: string, list: 'darklist' | 'lightlist'): ParsedLabels {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw malformed(file, `not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(data)) throw malformed(file, 'not a JSON array of { address, comment, date }');
  const out: ParsedLabels = { format: `mew-${list}`, labels: [], read: 0, refused: [] };
  data.forEach((entry: unknown, k: number) => {
    out.read++;
    const e = entry as { address?: unknown; comment?: unknown; date?: unknown };
    if (!e || typeof e !== 'object' || typeof e.address !== 'string') throw malformed(file, `entry ${k + 1}: expected { "address": "0x...", "comment", "date" }`);
    const validFrom = mewDate(e.date);
    if (validFrom === undefined) return void out.refused.push({ at: `entry ${k + 1}`, reason: `date "${clip(String(e.date))}" is not a date` });
    const label = makeLabel('ethereum', 'ethereum', e.address, {
      category: list === 'darklist' ? 'scam' : 'verified',
      source: `mew-${list}`,
      confidence: 70,
      validFrom,
      name: typeof e.comment === 'string' ? e.comment : null,
    });
    if (typeof label === 'string') out.refused.push({ at: `entry ${k + 1}`, reason: label });
    else out.labels.push(label);
  });
  return out;
}

/** The list's dates: YYYY-MM-DD, or the US M/D/YY some entries use; null when absent, undefined when unreadable. */
function mewDate(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value).trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text))) return text;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(text);
  if (!us) return undefined;
  const year = us[3].length === 2 ? `20${us[3]}` : us[3];
  const iso = `${year}-${us[1].padStart(2, '0')}-${us[2].padStart(2, '0')}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}
