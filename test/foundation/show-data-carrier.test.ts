import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ctrace, tempDir } from '../support/cli.js';
import { hasShared, needs, shared } from '../support/shared.js';

// A mainnet block of 2019 ingested on its own: no previous output is stored, so input values are unknown.
const BLOCK = 'data/bitcoin/core-getblock/0000000000000000001702d1e49582d61b6a3f451e98be3169c801b35b2ffa0d.hex';
// An Omni Layer simple send of 215.3 USDT in it (2 inputs, an OP_RETURN and the reference output).
const OMNI = 'ba3b5e03aaa1cab2c98f4f91dc6a4c84ac11156eacefc94392fcdf1862269fa9';

describe.skipIf(!hasShared(BLOCK))(needs(BLOCK, 'ctrace show tx names data carriers and derived input addresses'), () => {
  const db = join(tempDir(), 'case.db');
  beforeAll(() => {
    expect(ctrace(['--db', db, 'ingest', shared(BLOCK)]).code).toBe(0);
  });

  it('default: an Omni send is named and decoded, its inputs\' addresses come from their spending data', () => {
    const r = ctrace(['--db', db, '--full', 'show', 'tx', OMNI]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(data: Omni Layer (class C))');
    expect(r.stdout).toMatch(/Omni simple send: property 31 \(TetherUS \(USDT\)\), amount 21530000000 base units, from 1263vUxsPuEnKrz5gdwf2gHxRYuMXZBooM to 1HCviLYNqHAyeZxGTj9Mtgvj1NJgQuSo91/);
    expect(r.stdout).toContain('1263vUxsPuEnKrz5gdwf2gHxRYuMXZBooM (from its spending data)');
  });

  it('default: the JSON says which inputs are derived and what the data carrier is', () => {
    const tx = JSON.parse(ctrace(['--db', db, '--json', 'show', 'tx', OMNI]).stdout);
    expect(tx.inputs[0]).toMatchObject({ address: '1263vUxsPuEnKrz5gdwf2gHxRYuMXZBooM', value: null, resolved: false, derived: true });
    expect(tx.dataCarriers).toEqual([expect.objectContaining({
      protocol: 'omni', name: 'Omni Layer (class C)', outputIndex: 0, payload: '6f6d6e69000000000000001f000000050349ba80',
      omni: { version: 0, type: 0, typeName: 'simple send', propertyId: 31, propertyName: 'TetherUS (USDT)', amount: '21530000000', sender: '1263vUxsPuEnKrz5gdwf2gHxRYuMXZBooM', receiver: '1HCviLYNqHAyeZxGTj9Mtgvj1NJgQuSo91' },
    })]);
    // No CoinJoin guard: a data carrier is what it is.
    const g = JSON.parse(ctrace(['--db', db, '--json', '--full', 'cluster', 'guards']).stdout);
    expect(g.events.filter((e: { txid: string }) => e.txid === OMNI)).toEqual([]);
  });
});
