import { describe, expect, it } from 'vitest';
import { jsonChunks, toJson, writeJson } from './output.js';

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
