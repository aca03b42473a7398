import { describe, expect, test } from 'vitest';
import { getChain } from '../model/chain.js';
import { parseWatchlist } from './watchlist.js';

const btc = getChain('bitcoin');
const A = '1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3';

describe('parseWatchlist', () => {
  test('default: the smallest form works as it stands, with the default threshold and depth', () => {
    expect(parseWatchlist({ watch: [{ address: A, rules: ['movement'] }] }, btc)).toEqual([
      { key: `address:${A}`, kind: 'address', subject: A, name: null, rules: ['movement'], threshold: 0.5, maxHops: 10 },
    ]);
  });
  test('args: clusters, categories, rules, threshold and depth per entry', () => {
    const [c, k] = parseWatchlist({ watch: [{ cluster: A, rules: ['cluster-growth', 'movement'], name: 'x' }, { category: 'Market', rules: ['exposure'], threshold: 0.1, maxHops: 3 }] }, btc);
    expect(c).toMatchObject({ key: `cluster:${A}`, rules: ['cluster-growth', 'movement'], name: 'x' });
    expect(k).toMatchObject({ key: 'category:market', subject: 'market', threshold: 0.1, maxHops: 3 });
  });
  test.each([
    [{}, /has no "watch" list/],
    [{ watch: [] }, /"watch" is empty/],
    [{ watch: [{ address: A, cluster: A }] }, /entry 1: give exactly one of/],
    [{ watch: [{ address: '1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm4' }] }, /entry 1: "1Q2T.*" is not a bitcoin address/],
    [{ watch: [{ address: A, rules: ['teleport'] }] }, /"rules" must list some of movement, exposure, cluster-growth, typology/],
    [{ watch: [{ address: A, threshold: 2 }] }, /"threshold" is a share/],
    [{ watch: [{ address: A }, { address: A }] }, /entry 2: address:.* is listed twice/],
  ])('error: %j is refused with what to fix', (doc, message) => {
    expect(() => parseWatchlist(doc, btc)).toThrow(message);
  });
  test('error: typology is refused on an account chain, and accepted on a UTXO chain', () => {
    const E = '0x1111111111111111111111111111111111111111';
    expect(() => parseWatchlist({ watch: [{ address: E, rules: ['movement', 'typology'] }] }, getChain('anvil'))).toThrow(/entry 1: "typology" is for Bitcoin-family chains only .* on anvil use movement, exposure or cluster-growth/);
    expect(parseWatchlist({ watch: [{ address: E, rules: ['movement', 'exposure', 'cluster-growth'] }] }, getChain('anvil'))[0].rules).toEqual(['cluster-growth', 'exposure', 'movement']);
    expect(parseWatchlist({ watch: [{ address: A, rules: ['typology'] }] }, btc)[0].rules).toEqual(['typology']);
  });
});
