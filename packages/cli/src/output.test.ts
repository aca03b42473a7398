import { describe, expect, it } from 'vitest';
import { JsonSeq, jsonChunks, ndjsonLines, toJson, writeJson } from './output.js';

const reference = (v: unknown) => `${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2)}\n`;

describe('JSON output in pieces', () => {
  const values: unknown[] = [
    null, 0, -1.5, 'a\nb "q"', true, 12n, [], {}, [[]], { a: {} }, [undefined, () => 1, Symbol('s'), null],
    { skip: undefined, f: () => 1, keep: 1, big: 2n ** 70n, nested: { deep: { deeper: [1, { x: 'y\n' }], empty: [] }, list: [{}, [], [1, [2, [3]]]] } },
    { when: new Date(0), arr: [new Date(1000), { toJSON: () => undefined }], obj: { toJSON: (k: string) => `key ${k}` } },
    { flow: Array.from({ length: 50 }, (_, i) => ({ hop: i, amount: BigInt(i) * 10n ** 18n, via: { txid: 'ab'.repeat(32), rule: 'haircut', shares: [1n, 2n] }, labels: i % 2 ? [] : ['market@csv'] })) },
  ];

  it('behavior: joined, the pieces are byte for byte JSON.stringify(value, bigints, 2) and a newline', () => {
    for (const v of values) expect(toJson(v)).toBe(reference(v));
  });

  it('behavior: no piece holds more than one element of a top-level array, so a document larger than one string can be printed', () => {
    const v = { flow: Array.from({ length: 1000 }, (_, i) => ({ hop: i, text: 'x'.repeat(100) })) };
    const pieces = [...jsonChunks(v)];
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(200);
    const printed: string[] = [];
    writeJson({ out: (t) => void printed.push(t) }, v);
    expect(printed.join('')).toBe(reference(v));
  });
});

describe('documents made as they are printed', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ hop: i, taint: BigInt(i) * 3n, via: i ? { txid: 'cd'.repeat(32), vout: i } : null, skip: undefined, labels: i % 3 ? [] : ['x@y'] }));
  const doc = (seq: boolean) => ({
    chain: 'bitcoin', seeded: 5n, skipped: [], empty: seq ? new JsonSeq(() => [], 0) : [],
    flow: seq ? new JsonSeq(() => rows(40), 40) : rows(40), addresses: seq ? new JsonSeq(() => rows(3), 3) : rows(3), nested: { inner: seq ? new JsonSeq(() => rows(2), 2) : rows(2) },
  });

  it('behavior: an array made element by element (JsonSeq) prints byte for byte as the array itself, at any depth', () => {
    expect(toJson(doc(true))).toBe(reference(doc(false)));
    expect(toJson(new JsonSeq(() => rows(2), 2))).toBe(reference(rows(2)));
    const printed: string[] = [];
    writeJson({ out: (t) => void printed.push(t) }, doc(true));
    expect(printed.join('')).toBe(reference(doc(false)));
  });

  it('behavior: NDJSON is a header with the counts, then one record per element; put back together it is the document', () => {
    const lines = [...ndjsonLines(doc(true), 'trace', { skipped: 'skipped', flow: 'output', addresses: 'address' })];
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records[0]).toEqual({ record: 'trace', chain: 'bitcoin', seeded: '5', empty: [], nested: { inner: JSON.parse(toJson(rows(2))) }, counts: { skipped: 0, output: 40, address: 3 } });
    const { record: _r, counts: _c, ...head } = records[0];
    const back = { ...head, skipped: [] as unknown[], flow: [] as unknown[], addresses: [] as unknown[] };
    const into: Record<string, unknown[]> = { skipped: back.skipped, output: back.flow, address: back.addresses };
    for (const { record, ...rest } of records.slice(1)) into[record as string].push(rest);
    expect(back).toEqual(JSON.parse(toJson(doc(false))));
  });
});
