import type { ParsedLabels } from '@cryptotrace/core';
import { chainOfCurrency, clip, isoDate, makeLabel, malformed } from './record.js';

const REQUIRED = ['chain', 'address', 'category', 'source', 'confidence'];
const OPTIONAL = ['actor', 'valid_from', 'name'];

/**
 * Parse a plain CSV of labels: a header with `chain,address,category,source,confidence` (any order) and optionally
 * `actor`, `valid_from`, `name`; RFC 4180 quoting. Confidence is an integer 0-100. A row of the wrong shape makes the
 * whole file malformed; a row whose chain or address is not supported is refused with its reason.
 * @param file for messages
 * @param text the CSV
 * @throws CtraceError INPUT_MALFORMED
 * @example parseLabelCsv('mine.csv', 'chain,address,category,source,confidence\nbitcoin,1A1z...,exchange,me,90\n')
 */
export function parseLabelCsv(file: string, text: string): ParsedLabels {
  const rows = parseCsv(file, text);
  if (rows.length === 0) throw malformed(file, 'empty: expected a header chain,address,category,source,confidence');
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((h) => !header.includes(h));
  if (missing.length) throw malformed(file, `line 1: the header lacks ${missing.join(', ')} (expected chain,address,category,source,confidence)`);
  const unknown = header.filter((h) => !REQUIRED.includes(h) && !OPTIONAL.includes(h));
  if (unknown.length) throw malformed(file, `line 1: unknown column ${clip(unknown[0])} (known: ${[...REQUIRED, ...OPTIONAL].join(', ')})`);
  const col = (row: string[], name: string) => (header.includes(name) ? row[header.indexOf(name)].trim() : '');
  const out: ParsedLabels = { format: 'csv', labels: [], read: 0, refused: [] };
  rows.slice(1).forEach((row, k) => {
    const line = `line ${k + 2}`;
    if (row.length === 1 && row[0].trim() === '') return;
    out.read++;
    if (row.length !== header.length) throw malformed(file, `${line}: ${row.length} fields, the header has ${header.length}`);
    const conf = col(row, 'confidence');
    if (!/^\d{1,3}$/.test(conf) || Number(conf) > 100) throw malformed(file, `${line}: confidence "${clip(conf)}" is not an integer from 0 to 100`);
    const source = col(row, 'source');
    if (!source) throw malformed(file, `${line}: empty source`);
    const chainText = col(row, 'chain');
    const address = col(row, 'address');
    const label = makeLabel(chainOfCurrency(chainText, address), chainText, address, {
      category: col(row, 'category'),
      source,
      confidence: Number(conf),
      actor: col(row, 'actor'),
      validFrom: isoDate(file, line, col(row, 'valid_from')),
      name: col(row, 'name') || null,
    });
    if (typeof label === 'string') out.refused.push({ at: line, reason: label });
    else out.labels.push(label);
  });
  return out;
}

/** RFC 4180 fields: commas, double quotes around fields, "" for a quote, CRLF or LF. */
function parseCsv(file: string, text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let opened = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') (quoted = true), (opened = line);
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = ''), line++;
    } else field += c;
  }
  if (quoted) throw malformed(file, `line ${opened}: a quoted field is not closed`);
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}
