import { createRequire } from 'node:module';
import type { ParsedLabels } from '@cryptotrace/core';
import type * as Yaml from 'yaml';
import { chainOfCurrency, makeLabel, malformed } from './record.js';

// The YAML parser is loaded the first time a TagPack is read, not on every start of the CLI.
let yaml: typeof Yaml | undefined;
const parseDocument: typeof Yaml.parseDocument = (...args) => (yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml).parseDocument(...args);

/**
 * GraphSense confidence levels as 0-100 (our mapping of their ordered scale: proof of ownership highest, an untrusted
 * transaction lowest).
 */
export const TAGPACK_CONFIDENCE: Readonly<Record<string, number>> = {
  ownership: 100, ledger_immanent: 100, authority_data: 90, forensic: 80, service_data: 70, manual: 60, web_crawl: 40, untrusted_transaction: 20, unknown: 10,
};

/** The most alias expansions a TagPack may make: real TagPacks use a few, an alias bomb millions. */
const MAX_ALIASES = 100;

/**
 * Parse a GraphSense TagPack (YAML): the header's fields hold for every tag unless the tag sets its own. The category
 * is the tag's `abuse` where it has one (ransomware, ...), else its `category`; the name is its `label`; `actor`,
 * `source` and `confidence` (a GraphSense level, mapped by {@link TAGPACK_CONFIDENCE}) are kept.
 * @param file for messages and the label source (`graphsense:<file name>`)
 * @param text the YAML
 * @param name the file's base name
 * @throws CtraceError INPUT_MALFORMED when the YAML does not parse or is not a TagPack
 * @example parseTagPack('hydra.yaml', text).labels[0].category // 'market'
 */
export function parseTagPack(file: string, text: string, name: string): ParsedLabels {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw malformed(file, `YAML error at line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  let pack: Record<string, unknown> | null;
  try {
    pack = doc.toJS({ maxAliasCount: MAX_ALIASES }) as Record<string, unknown> | null;
  } catch (cause) {
    // yaml refuses a document whose aliases would expand past the count (a "billion laughs" alias bomb).
    if (!(cause instanceof ReferenceError)) throw cause;
    throw malformed(file, `its YAML aliases expand past ${MAX_ALIASES} references (an alias bomb?)`);
  }
  if (!pack || typeof pack !== 'object' || !Array.isArray(pack.tags)) throw malformed(file, 'not a TagPack: no "tags" list');
  const out: ParsedLabels = { format: 'graphsense-tagpack', labels: [], read: 0, refused: [] };
  const header = (k: string) => pack[k];
  pack.tags.forEach((tag: unknown, k: number) => {
    out.read++;
    const where = `tag ${k + 1}`;
    if (!tag || typeof tag !== 'object' || Array.isArray(tag)) throw malformed(file, `${where} is not a mapping`);
    const t = tag as Record<string, unknown>;
    const get = (key: string) => (t[key] !== undefined ? t[key] : header(key));
    const address = t.address;
    if (typeof address !== 'string' || !address.trim()) return void out.refused.push({ at: where, reason: 'no address (an entity tag?)' });
    const currency = String(get('currency') ?? get('network') ?? '').trim();
    const level = String(get('confidence') ?? 'unknown').trim();
    const confidence = TAGPACK_CONFIDENCE[level];
    if (confidence === undefined) throw malformed(file, `${where}: unknown confidence level "${level}" (known: ${Object.keys(TAGPACK_CONFIDENCE).join(', ')})`);
    const category = String(get('abuse') ?? get('category') ?? 'unknown');
    const label = makeLabel(chainOfCurrency(currency, address), currency, address, {
      category,
      source: `graphsense:${name}`,
      confidence,
      actor: get('actor') === undefined ? '' : String(get('actor')),
      validFrom: null,
      name: get('label') === undefined ? null : String(get('label')),
    });
    if (typeof label === 'string') out.refused.push({ at: where, reason: label });
    else out.labels.push(label);
  });
  return out;
}
