import { describe, expect, it } from 'vitest';
import { TRANSFER_TOPIC, decodeTokenTransfers } from './token-transfers.js';

const word = (hex: string) => hex.replace(/^0x/, '').padStart(64, '0');
const FROM = '0x6498077292a0921c8804924fdf47b5e91e2a215f';
const TO = '0x8b3b3b624c3c0397d3da8fd861512393d51dcbac';
const TOKEN = '0xbb9bc244d798123fde783fcc1c72d3bb8c189413';
const H = `0x${'cd'.repeat(32)}`;
const log = (topics: string[], data: string, extra: Record<string, unknown> = {}) => ({ address: TOKEN, topics, data, logIndex: '0x2', transactionHash: H, blockNumber: '0x10', ...extra });

describe('decodeTokenTransfers', () => {
  it('default: an ERC-20 Transfer with indexed parties, in EIP-55 form', () => {
    expect(decodeTokenTransfers([log([TRANSFER_TOPIC, `0x${word(FROM)}`, `0x${word(TO)}`], `0x${word('4563918244f40000')}`)], 't')).toEqual([
      { token: '0xBB9bc244D798123fDe783fCc1C72d3Bb8C189413', from: '0x6498077292a0921C8804924FDf47B5E91E2a215f', to: '0x8B3B3b624c3c0397D3da8Fd861512393d51DCbac', value: 5000000000000000000n, logIndex: 2, txHash: H, blockNumber: 16 },
    ]);
  });

  it('behavior: early tokens that index nothing (three data words) are read; ERC-721, removed and other events are not', () => {
    const data3 = `0x${word(FROM)}${word(TO)}${word('7')}`;
    const got = decodeTokenTransfers([
      log([TRANSFER_TOPIC], data3),
      log([TRANSFER_TOPIC, `0x${word(FROM)}`, `0x${word(TO)}`, `0x${word('1')}`], '0x'),
      log([TRANSFER_TOPIC, `0x${word(FROM)}`, `0x${word(TO)}`], `0x${word('5')}`, { removed: true }),
      log([`0x${word('1234')}`, `0x${word(FROM)}`, `0x${word(TO)}`], `0x${word('5')}`),
    ], 't');
    expect(got.map((t) => t.value)).toEqual([7n]);
  });

  it('error: a Transfer whose topic is not an address is rejected', () => {
    expect(() => decodeTokenTransfers([log([TRANSFER_TOPIC, `0x${'f'.repeat(64)}`, `0x${word(TO)}`], `0x${word('5')}`)], 'evm-rpc http://node/ eth_getLogs')).toThrowErrorMatchingInlineSnapshot(`[CtraceError: evm-rpc http://node/ eth_getLogs log 0x2: topic 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff is not an address; nothing of this answer was stored]`);
  });
});
