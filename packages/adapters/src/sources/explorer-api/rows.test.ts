import { describe, expect, it } from 'vitest';
import { internalTransfersOfRows, rowRef, tokenInfoOfRow } from './rows.js';

const A = '0x6498077292a0921c8804924fdf47b5e91e2a215f';
const B = '0x8b3b3b624c3c0397d3da8fd861512393d51dcbac';
const H = `0x${'ef'.repeat(32)}`;
const row = (extra: Record<string, string>) => ({ blockNumber: '17', timeStamp: '1', hash: H, from: A, to: B, value: '5', contractAddress: '', input: '', type: 'call', gas: '0', gasUsed: '0', isError: '0', errCode: '', ...extra });

describe('explorer rows', () => {
  it('default: txlistinternal rows become internal transfers, trace ids as trace addresses', () => {
    expect(internalTransfersOfRows([row({ traceId: '0_1' }), row({ traceId: '2', value: '0' }), row({ traceId: '3', isError: '1' })], 't')).toEqual([
      { traceAddress: '0.1', from: '0x6498077292a0921C8804924FDf47B5E91E2a215f', to: '0x8B3B3b624c3c0397D3da8Fd861512393d51DCbac', value: 5n, callType: 'call' },
    ]);
  });

  it('behavior: rows without a trace id are numbered in the API\'s order; a creation pays the created contract', () => {
    const got = internalTransfersOfRows([row({}), row({ type: 'create', to: '', contractAddress: B, value: '7' })], 't');
    expect(got.map((t) => [t.traceAddress, t.callType, t.to, t.value])).toEqual([['#0', 'call', '0x8B3B3b624c3c0397D3da8Fd861512393d51DCbac', 5n], ['#1', 'create', '0x8B3B3b624c3c0397D3da8Fd861512393d51DCbac', 7n]]);
  });

  it('behavior: token names from tokentx are untrusted text, cleaned; unreadable decimals are null', () => {
    expect(tokenInfoOfRow('ethereum', { contractAddress: A, tokenName: 'Tether\u202e USD\u0000', tokenSymbol: 'USDT', tokenDecimal: 'six' }, 't')).toEqual({
      chain: 'ethereum', address: '0x6498077292a0921C8804924FDf47B5E91E2a215f', name: 'Tether USD', symbol: 'USDT', decimals: null,
    });
  });

  it('error: a row with a malformed block number is rejected', () => {
    expect(() => rowRef(row({ blockNumber: '0x11' }), 'explorer-api http://x/api txlist')).toThrowErrorMatchingInlineSnapshot(`[CtraceError: explorer-api http://x/api txlist blockNumber: expected a decimal number, got "0x11"; nothing of this answer was stored]`);
  });
});
