/**
 * Everything the CLI prints goes through here: JSON for programs (bigints as decimal strings, stable key order
 * as built), text for people (amounts in coin units, untrusted text stripped of terminal control characters).
 */

const bigints = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** JSON with bigints as decimal strings; same value, same bytes. */
export function toJson(value: unknown): string {
  return [...jsonChunks(value)].join('');
}

/**
 * {@link toJson}'s text in pieces: the top object and its arrays are walked, each element is stringified on its
 * own, so no single string holds the whole document (a trace reaching 10^5 addresses prints more than the
 * largest string V8 can make). The pieces joined are byte for byte `JSON.stringify(value, bigints, 2)` + newline.
 */
export function* jsonChunks(value: unknown, depth = 0, key = ''): Generator<string> {
  const pad = '  '.repeat(depth);
  if (value instanceof JsonSeq && depth < 2) {
    // Made and printed one element at a time, exactly as the array of them would be.
    const inner = `\n${pad}  `;
    let i = 0;
    for (const x of value) {
      yield i === 0 ? `[${inner}` : `,${inner}`;
      yield* omitted(x, String(i)) ? ['null'] : jsonChunks(x, depth + 1, String(i));
      i++;
    }
    yield i === 0 ? '[]' : `\n${pad}]`;
    if (depth === 0) yield '\n';
    return;
  }
  const v = bigints(key, toJsonValue(value, key));
  if (depth >= 2 || v === null || typeof v !== 'object') {
    if (depth === 0) {
      yield `${JSON.stringify(v, bigints, 2) ?? 'null'}\n`;
      return;
    }
    // Stringified inside `depth` arrays, JSON.stringify indents it as it stands here; the arrays' brackets are cut off
    // (cheaper than indenting its lines after).
    let wrapped: unknown = v;
    for (let d = 0; d < depth; d++) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, bigints, 2);
    const [open, close] = wrapping(depth);
    yield text.slice(open, text.length - close);
    return;
  }
  const inner = `\n${pad}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) yield '[]';
    else {
      for (let i = 0; i < v.length; i++) {
        yield i === 0 ? `[${inner}` : `,${inner}`;
        yield* omitted(v[i], String(i)) ? ['null'] : jsonChunks(v[i], depth + 1, String(i));
      }
      yield `\n${pad}]`;
    }
  } else {
    let first = true;
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (omitted(x, k)) continue;
      yield `${first ? '{' : ','}${inner}${JSON.stringify(k)}: `;
      yield* jsonChunks(x, depth + 1, k);
      first = false;
    }
    yield first ? '{}' : `\n${pad}}`;
  }
  if (depth === 0) yield '\n';
}

/**
 * An array of a document made on demand, element by element, when it is printed ({@link jsonChunks}, {@link ndjsonLines}):
 * a trace's flow over 10^6 transactions is never held whole. Iterable again each time it is read. Deeper than a top
 * array's element, or through JSON.stringify, it is the plain array of its elements.
 */
export class JsonSeq<T = unknown> implements Iterable<T> {
  constructor(private readonly items: () => Iterable<T>, readonly length: number) {}
  [Symbol.iterator](): Iterator<T> {
    return this.items()[Symbol.iterator]();
  }
  toJSON(): T[] {
    return [...this];
  }
}

const wrappings: [number, number][] = [];
/** The lengths of what JSON.stringify (indent 2) prints before and after a value inside `depth` arrays. */
function wrapping(depth: number): [number, number] {
  if (!wrappings[depth]) {
    let open = 0;
    let close = 0;
    for (let k = 1; k <= depth; k++) open += 2 + 2 * k;
    for (let k = 0; k < depth; k++) close += 2 + 2 * k;
    wrappings[depth] = [open, close];
  }
  return wrappings[depth];
}

function toJsonValue(value: unknown, key: string): unknown {
  const t = value as { toJSON?: (key: string) => unknown } | null;
  return t !== null && typeof t === 'object' && typeof t.toJSON === 'function' ? t.toJSON(key) : value;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(value: unknown, key: string): boolean {
  const v = bigints(key, toJsonValue(value, key));
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** Print a value as {@link toJson} does, in pieces of about a megabyte. */
export function writeJson(io: Pick<Io, 'out'>, value: unknown): void {
  let buffer = '';
  for (const piece of jsonChunks(value)) {
    buffer += piece;
    if (buffer.length >= 1 << 20) {
      io.out(buffer);
      buffer = '';
    }
  }
  if (buffer) io.out(buffer);
}

/**
 * A document as NDJSON: one record per line. The first (`"record": header`) holds every field that is not a top array
 * of the document, and how many records of each array follow (`counts`); then one line per element of each array, in
 * the document's order, as `{"record": <name of the array's records>, ...element}`. Arrays not named in `records`
 * stay in the header. The elements are the document's (same keys and values): the document can be put back together.
 * @example ndjsonLines({ a: 1, flow: [{ x: 2 }] }, 'trace', { flow: 'output' }) // {"record":"trace","a":1,"counts":{"output":1}}, {"record":"output","x":2}
 */
export function* ndjsonLines(doc: Record<string, unknown>, header: string, records: Record<string, string>): Generator<string> {
  const head: Record<string, unknown> = { record: header };
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k in records && (Array.isArray(v) || v instanceof JsonSeq)) counts[records[k]] = v.length;
    else head[k] = v;
  }
  yield `${JSON.stringify({ ...head, counts }, bigints)}\n`;
  for (const [k, name] of Object.entries(records)) {
    const v = doc[k];
    if (!(Array.isArray(v) || v instanceof JsonSeq)) continue;
    let i = 0;
    for (const x of v as Iterable<unknown>) yield `${JSON.stringify({ record: name, ...(toJsonValue(x, String(i++)) as object) }, bigints)}\n`;
  }
}

/** Print a document as {@link ndjsonLines} does, in pieces of about a megabyte. */
export function writeNdjson(io: Pick<Io, 'out'>, doc: Record<string, unknown>, header: string, records: Record<string, string>): void {
  let buffer = '';
  for (const line of ndjsonLines(doc, header, records)) {
    buffer += line;
    if (buffer.length >= 1 << 20) {
      io.out(buffer);
      buffer = '';
    }
  }
  if (buffer) io.out(buffer);
}

/** Text from a chain, a source or a label file, made safe for a terminal: control characters (ANSI escapes too) removed. */
export function safeText(text: string): string {
  // Bidirectional overrides go too: they can make an address or a label read as something else.
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** A base-unit amount in coin units: 150000000n, 8 -> "1.5". Exact, never through floating point. */
export function formatUnits(value: bigint, decimals: number): string {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const frac = decimals === 0 ? '' : (abs % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Left-aligned columns (right-aligned where `right` names them), two spaces apart; with `--csv`, RFC 4180 CSV instead. */
export function table(headers: string[], rows: string[][], right: number[] = []): string {
  if (settings.csv) return csv(headers, rows);
  const width = (cell: string) => visibleLength(cell);
  const widths = headers.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c] ?? ''))));
  const pad = (cell: string, c: number) => {
    const fill = ' '.repeat(Math.max(0, widths[c] - width(cell)));
    return right.includes(c) ? fill + cell : cell + fill;
  };
  const line = (cells: string[]) => cells.map(pad).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/**
 * Rows as RFC 4180 CSV: fields with a comma, quote or line break quoted; colour codes removed; a field a spreadsheet
 * could run as a formula gets a leading `'` (see {@link csvSafe}).
 */
export function csv(headers: string[], rows: string[][]): string {
  const field = (cell: string) => {
    const text = csvSafe(cell.replace(ANSI, ''));
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [headers, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** A plain number (`-5`, `-0.25`, `12`): the one kind of cell that may begin with `-` unchanged. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
/** What makes a spreadsheet read a cell as a formula (OWASP CSV injection): = + - @, their full-width forms, after any leading whitespace; or a leading tab, CR or LF. */
const FORMULA_START = /^[\t\r\n]|^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]/;

/**
 * A CSV cell made safe for spreadsheets: a cell that begins (after any whitespace) with a formula trigger gets a
 * leading `'` so it is shown as text; plain numbers like `-5` are left readable.
 * @example csvSafe('-1+cmd|\' /C calc\'!A0') // "'-1+cmd|' /C calc'!A0"
 */
export function csvSafe(text: string): string {
  return !PLAIN_NUMBER.test(text) && FORMULA_START.test(text) ? `'${text}` : text;
}

/** How output looks, from the global flags `--csv`, `--base-units`, `--full`, `--no-color` and the environment. */
export interface OutputSettings {
  /** ANSI colour on stdout: only on a TTY, never with NO_COLOR set or TERM=dumb. */
  color: boolean;
  /** Amounts as exact integers in base units (sat, wei) instead of coin units. */
  baseUnits: boolean;
  /** Addresses and ids in full instead of shortened. */
  full: boolean;
  /** Tables as CSV. */
  csv: boolean;
}

let settings: OutputSettings = { color: false, baseUnits: false, full: false, csv: false };

/** Set how output looks (the CLI does it once, from the global flags, before a command runs). */
export function configureOutput(next: Partial<OutputSettings>): OutputSettings {
  settings = { ...settings, ...next };
  return settings;
}

/** The current output settings. */
export function outputSettings(): OutputSettings {
  return settings;
}

/** True when a stream should get colour: a TTY, NO_COLOR unset or empty (https://no-color.org), TERM not dumb. */
export function colorSupported(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
}

const ANSI = /\u001b\[[0-9;]*m/g;
const STYLES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;

/** Text in a colour or weight when colour is on; unchanged otherwise. */
export function paint(style: keyof typeof STYLES, text: string): string {
  if (!settings.color) return text;
  const [on, off] = STYLES[style];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

/** The width a cell takes on screen: colour codes take none. */
export function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/**
 * An amount for people: coin units with the symbol (`1.5 BTC`), or with `--base-units` the exact integer in base
 * units (`150000000 sat`, `1500000000000000000 wei`).
 */
export function formatAmount(value: bigint, unit: { symbol: string; decimals: number; kind?: string }): string {
  if (settings.baseUnits) return `${value} ${unit.kind === 'account' ? 'wei' : unit.kind === 'utxo' ? 'sat' : 'base units'}`;
  return `${formatUnits(value, unit.decimals)} ${safeText(unit.symbol)}`;
}

/** An address or id for people: safe text, shortened to 8…6 characters unless `--full` or `--csv` asks for all of it. */
export function formatId(id: string): string {
  const text = safeText(id);
  if (settings.full || settings.csv || text.length <= 20) return text;
  return `${text.slice(0, 8)}…${text.slice(-6)}`;
}

/** Where the CLI writes: results to stdout, everything else (progress, notes) to stderr. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

export const processIo: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
};
