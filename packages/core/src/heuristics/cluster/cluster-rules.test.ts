import { describe, expect, test } from 'vitest';
import type { AccountTransaction } from '../../model/account.js';
import type { UtxoTransaction } from '../../model/utxo.js';
import { txFeatures } from '../change/tx-features.js';
import { airdropMedianBlock, airdropMulti, defaultParams as airdropDefaults } from './airdrop-multi.js';
import { changeLink, defaultParams as changeDefaults } from './change.js';
import { depositAddress, defaultParams as depositDefaults } from './deposit-address.js';
import { multiInput } from './multi-input.js';
import { isPeelShaped, peelChain } from './peel-chain.js';
import { keyForms, keyHashOf, pubkeyReuse } from './pubkey-reuse.js';
import { selfApproval } from './self-approval.js';
import { makeTx } from './test-tx.js';

const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
let nonce = 0;
const atx = (from: string, to: string | null, value: bigint, block: number, extra: Partial<AccountTransaction> = {}): AccountTransaction => ({
  chain: 'ethereum', hash: `0x${(++nonce).toString(16).padStart(64, '0')}`, blockNumber: block, blockHash: `0x${'0'.repeat(64)}`, blockTime: 0,
  position: nonce % 100, nonce, from, to, value, fee: 0n, status: 'success', contractAddress: null, internalTransfers: [], tokenTransfers: [], ...extra,
});
const ETH = 10n ** 18n;

describe('multi-input (heuristics.md §1)', () => {
  const valid = [
    { title: 'two input holders', ins: [['a', 5], ['b', 6]] as [string, number][], links: [['a', 'b']] },
    { title: 'three holders, one repeated: a star from the first', ins: [['a', 5], ['b', 6], ['a', 1], ['c', 2]] as [string, number][], links: [['a', 'b'], ['a', 'c']] },
    { title: 'a bare multisig script id and a key', ins: [['script:00ff', 5], ['p2pk:1K', 6]] as [string, number][], links: [['script:00ff', 'p2pk:1K']] },
  ];
  test.each(valid)('default: links $title', ({ ins, links }) => {
    const tx = makeTx({ ins, outs: [['p', 1]], height: 7 });
    const got = multiInput(tx);
    expect(got.map((l) => [l.from, l.to])).toEqual(links);
    expect(got[0].evidence).toMatchObject({ rule: 'multi-input', version: 1, chain: 'bitcoin', txid: tx.txid, blockHeight: 7, confidence: 1, outputIndex: null });
  });
  const invalid = [
    { title: 'one holder behind two inputs', tx: makeTx({ ins: [['a', 5], ['a', 6]], outs: [['p', 1]] }) },
    { title: 'a coinbase', tx: makeTx({ coinbase: true, outs: [['p', 1]] }) },
    { title: 'a CoinJoin (generic: 3 equal outputs of 3 holders)', tx: makeTx({ ins: [['a', 2e6], ['b', 2e6], ['c', 2e6]], outs: [['x', 1e6], ['y', 1e6], ['z', 1e6], ['q', 5], ['r', 6]] }) },
    { title: 'the only other input unresolved', tx: makeTx({ ins: [['a', 5], [null, 0]], outs: [['p', 1]] }) },
  ];
  test.each(invalid)('behavior: no link for $title', ({ tx }) => expect(multiInput(tx)).toEqual([]));
  test('args: coinjoinGuard false links a CoinJoin', () => {
    expect(multiInput(invalid[2].tx, { coinjoinGuard: false, confidence: 1 })).toHaveLength(2);
  });
});

describe('change (heuristics.md §1)', () => {
  const tx = makeTx({ ins: [['a', 2_345_678]], outs: [['p', 1_000_000], ['c', 1_335_678]] });
  test('default: links the picked change to the input owner with the votes as params', () => {
    const [l] = changeLink(tx, { isFresh: (n) => n === 1 });
    expect([l.from, l.to]).toEqual(['a', 'c']);
    expect(l.evidence).toMatchObject({ rule: 'change', outputIndex: 1, params: { threshold: 0.95, votes: 'fresh-address+round-value' } });
  });
  test('behavior: the votes are named in the order of the rule list, one params object per threshold and votes', () => {
    const fresh = { isFresh: (n: number) => n === 1 };
    const reversed = { ...changeDefaults, rules: [...changeDefaults.rules].reverse() };
    const [l] = changeLink(tx, fresh, reversed);
    expect(l.evidence.params).toEqual({ threshold: 0.95, votes: 'round-value+fresh-address' });
    expect(changeLink(tx, fresh, reversed)[0].evidence.params).toBe(l.evidence.params);
    expect(changeLink(tx, fresh)[0].evidence.params).toEqual({ threshold: 0.95, votes: 'fresh-address+round-value' });
    expect(changeLink(tx, fresh, { ...changeDefaults, threshold: 0.9 })[0].evidence.params).toEqual({ threshold: 0.9, votes: 'fresh-address+round-value' });
  });
  test('behavior: no link below the threshold', () => {
    expect(changeLink(tx, {}, { ...changeDefaults, rules: ['address-type', 'optimal-change'] })).toEqual([]);
  });
  test('behavior: change paid back to the sender links nothing new', () => {
    expect(changeLink(makeTx({ ins: [['a', 9000]], outs: [['p', 5000], ['a', 3000]] }))).toEqual([]);
  });
});

describe('peel-chain (heuristics.md §1)', () => {
  const spentBy = (txs: Record<number, UtxoTransaction>) => ({ spenderOf: (n: number) => (txs[n] ? txFeatures(txs[n]) : null) });
  const t1 = makeTx({ ins: [['owner', 100_000]], outs: [['peel1', 10_000], ['hop', 89_000]] });
  const t2 = makeTx({ ins: [['hop', 89_000]], outs: [['peel2', 10_000], ['hop2', 78_000]], spends: [`${t1.txid}:1`] });
  const payee = makeTx({ ins: [['peel1', 10_000], ['other', 5]], outs: [['z', 9_000]] });
  test('default: the output funding the next peel is change', () => {
    const [l] = peelChain(t1, spentBy({ 1: t2, 0: payee }));
    expect([l.from, l.to, l.evidence.outputIndex, l.evidence.rule]).toEqual(['owner', 'hop', 1, 'peel-chain']);
  });
  test('behavior: no link when both outputs fund peel-shaped transactions', () => {
    expect(peelChain(t1, spentBy({ 0: t2, 1: t2 }))).toEqual([]);
  });
  test('args: fundingLarger refuses a funding output smaller than the peel', () => {
    const small = makeTx({ ins: [['owner', 100_000]], outs: [['peel1', 80_000], ['hop', 19_000]] });
    const next = makeTx({ ins: [['hop', 19_000]], outs: [['x', 9_000], ['y', 9_000]] });
    expect(peelChain(small, spentBy({ 1: next }))).toEqual([]);
    expect(peelChain(small, spentBy({ 1: next }), { fundingLarger: false, confidence: 0.9 })).toHaveLength(1);
  });
  test('behavior: no link when the transaction is not peel-shaped', () => {
    expect(isPeelShaped(payee)).toBe(false);
    expect(peelChain(payee, spentBy({ 0: t2 }))).toEqual([]);
  });
});

describe('pubkey-reuse (heuristics.md §1)', () => {
  const P2PKH = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
  test('default: the P2PK and P2PKH forms of one key are one owner', () => {
    const links = pubkeyReuse([
      { chain: 'bitcoin', holder: `p2pk:${P2PKH}`, txid: 'aa', blockHeight: 0 },
      { chain: 'bitcoin', holder: P2PKH, txid: 'bb', blockHeight: 9 },
      { chain: 'bitcoin', holder: '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', txid: 'cc', blockHeight: 9 },
    ]);
    expect(links.map((l) => [l.from, l.to, l.evidence.txid])).toEqual([[`p2pk:${P2PKH}`, P2PKH, 'bb']]);
  });
  test('default: P2WPKH and P2PKH of one key hash, and the key on litecoin', () => {
    const forms = keyForms('bitcoin', P2PKH);
    const segwit = forms.find((f) => f.chain === 'bitcoin' && f.holder.startsWith('bc1q'))!;
    const ltc = forms.find((f) => f.chain === 'litecoin' && f.holder.startsWith('L'))!;
    expect(keyHashOf('bitcoin', segwit.holder)).toBe(keyHashOf('bitcoin', P2PKH));
    const links = pubkeyReuse([{ chain: 'bitcoin', holder: P2PKH, txid: 'a', blockHeight: 1 }, { chain: 'bitcoin', holder: segwit.holder, txid: 'b', blockHeight: 2 }, { chain: 'litecoin', holder: ltc.holder, txid: 'c', blockHeight: 3 }]);
    expect(links.map((l) => l.to)).toEqual([segwit.holder, `litecoin:${ltc.holder}`]);
  });
  test('behavior: P2SH is not a key form', () => expect(keyHashOf('bitcoin', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toBeNull());
});

describe('deposit-address (heuristics.md §1, EVM)', () => {
  const [u1, u2, u3, d, x, miner] = [1, 2, 3, 4, 5, 6].map(addr);
  const params = { ...depositDefaults, exchanges: [x], miners: [miner] };
  test('default: two users paying one deposit address that forwards to an exchange are one owner', () => {
    const txs = [atx(u1, d, 2n * ETH, 100), atx(d, x, 2n * ETH - 10n ** 15n, 150), atx(u2, d, ETH, 9000), atx(d, x, ETH, 9001)];
    const links = depositAddress(txs, params);
    expect(links.map((l) => [l.from, l.to])).toEqual([[x, d], [u1, u2]]);
    expect(links[0].evidence).toMatchObject({ rule: 'deposit-address', blockHeight: 150, params: { deposit: d, exchange: x } });
    expect(links[1].evidence).toMatchObject({ rule: 'deposit-address', blockHeight: 9000, params: { deposit: d, exchange: x } });
    expect(depositAddress(txs, { ...params, linkToExchange: false })).toHaveLength(1);
  });
  const invalid = [
    { title: 'the forward falls short by more than 0.01 ETH', txs: [atx(u1, d, 2n * ETH, 100), atx(d, x, ETH, 150), atx(u2, d, ETH, 200), atx(d, x, ETH / 2n, 210)] },
    { title: 'the forward comes after the 10,000-block window', txs: [atx(u1, d, ETH, 100), atx(u2, d, ETH, 101), atx(d, x, ETH, 20_200), atx(d, x, ETH, 20_201)] },
    { title: 'one depositor is a miner', txs: [atx(u1, d, ETH, 100), atx(d, x, ETH, 101), atx(miner, d, ETH, 102), atx(d, x, ETH, 103)] },
    { title: 'd forwards to an address that is not an exchange', txs: [atx(u1, d, ETH, 100), atx(d, u3, ETH, 101), atx(u2, d, ETH, 102), atx(d, u3, ETH, 103)] },
  ];
  test.each(invalid)('behavior: no link when $title', ({ txs }) => expect(depositAddress(txs, { ...params, linkToExchange: false })).toEqual([]));
});

describe('airdrop-multi (heuristics.md §1, EVM)', () => {
  const token = addr(999_999);
  const dist = addr(888_888);
  const gatherer = addr(777_777);
  const drop = (n: number, spread: number) => Array.from({ length: n }, (_, i) => atx(dist, token, 0n, 1000 + (i % (spread + 1)), {
    tokenTransfers: [{ token, from: dist, to: addr(10_000 + i), value: 100n, logIndex: 0 }],
  }));
  const gather = (i: number) => atx(addr(10_000 + i), token, 0n, 2000 + i, { tokenTransfers: [{ token, from: addr(10_000 + i), to: gatherer, value: 100n, logIndex: 0 }] });
  test('default: recipients gathering the airdrop into one address are one owner', () => {
    const links = airdropMulti([...drop(1000, 2), gather(1), gather(2), gather(3)]);
    expect(links.map((l) => [l.from, l.to])).toEqual([[addr(10_001), addr(10_002)], [addr(10_001), addr(10_003)]]);
    expect(links[0].evidence.params).toMatchObject({ gatherer, token });
  });
  test('behavior: 999 recipients are not an airdrop', () => expect(airdropMulti([...drop(999, 2), gather(1), gather(2)])).toEqual([]));
  test('behavior: a distribution spread over many blocks is not an airdrop', () => expect(airdropMulti([...drop(1000, 20), gather(1), gather(2)])).toEqual([]));
  test('behavior: one gathering alone links nothing', () => expect(airdropMulti([...drop(1000, 2), gather(1)])).toEqual([]));
  test('behavior: paying one shop other amounts of the token is not a gathering', () => {
    const pay = (i: number) => atx(addr(10_000 + i), token, 0n, 2000 + i, { tokenTransfers: [{ token, from: addr(10_000 + i), to: gatherer, value: 37n, logIndex: 0 }] });
    expect(airdropMulti([...drop(1000, 2), pay(1), pay(2)])).toEqual([]);
  });
  test('args: minRecipients', () => expect(airdropMulti([...drop(10, 0), gather(1), gather(2)], { ...airdropDefaults, minRecipients: 10 })).toHaveLength(1));
  test('behavior: a gathering is judged against the distribution as of its block; later sends neither undo nor make a link', () => {
    const later = (n: number, block: number) => Array.from({ length: n }, (_, i) => atx(dist, token, 0n, block, { tokenTransfers: [{ token, from: dist, to: addr(50_000 + i), value: 100n, logIndex: 0 }] }));
    const params = { ...airdropDefaults, minRecipients: 10 };
    // An airdrop when the gatherings come; spread out by the sends of block 5,000 after them: the links stand.
    expect(airdropMulti([...drop(10, 0), gather(1), gather(2), ...later(30, 5000)], params)).toHaveLength(1);
    // Nine recipients when the gatherings come: no airdrop then, whatever follows.
    expect(airdropMulti([...drop(9, 0), gather(1), gather(2), ...later(1, 2500)], params)).toEqual([]);
  });
  test('behavior: airdropMedianBlock is the median block when more than half the sends lie within the spread of it (as sorting them says)', () => {
    const naive = (blocks: number[], spread: number) => {
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
      const m = med(blocks);
      return med(blocks.map((b) => Math.abs(b - m))) > spread ? null : m;
    };
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    let airdrops = 0;
    for (let k = 0; k < 500; k++) {
      const blocks = Array.from({ length: 1 + rand(12) }, () => rand(9)).sort((a, b) => a - b);
      const got = airdropMedianBlock(blocks, 1, { minRecipients: 1, maxBlockSpread: 2 });
      expect(got).toBe(naive(blocks, 2));
      if (got !== null) airdrops++;
    }
    expect(airdrops).toBeGreaterThan(50);
    expect(airdrops).toBeLessThan(500);
  });
});

describe('self-approval (heuristics.md §1, EVM)', () => {
  const [owner, spender, token, router] = [1, 2, 3, 4].map(addr);
  const approve = atx(owner, token, 0n, 10);
  const pull = (sender: string, to: string) => atx(sender, to, 0n, 20, { tokenTransfers: [{ token, from: owner, to: sender, value: 5n, logIndex: 3 }] });
  test('default: an EOA that approve-then-transferFrom moves the owner tokens is the owner', () => {
    const [l] = selfApproval([approve, pull(spender, token)]);
    expect([l.from, l.to, l.evidence.logIndex, l.evidence.rule]).toEqual([owner, spender, 3, 'self-approval']);
  });
  test('behavior: a router contract pulling tokens links nothing', () => expect(selfApproval([approve, pull(spender, router)])).toEqual([]));
  test('behavior: without the approve call nothing is linked', () => expect(selfApproval([pull(spender, token)])).toEqual([]));
});
