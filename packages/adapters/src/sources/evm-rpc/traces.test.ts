import { describe, expect, it } from 'vitest';
import { decodeCallTracerFrame, decodeParityTraces, internalTransfersOf } from './traces.js';

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const C = '0x3333333333333333333333333333333333333333';
const H = `0x${'ab'.repeat(32)}`;
const call = (traceAddress: number[], from: string, to: string, value: string, extra: Record<string, unknown> = {}) => ({
  action: { callType: 'call', from, to, value, gas: '0x0', input: '0x' }, result: { gasUsed: '0x0', output: '0x' }, subtraces: 0, traceAddress,
  transactionHash: H, transactionPosition: 0, type: 'call', ...extra,
});

describe('internalTransfersOf', () => {
  it('default: value moved by inner calls, not the top call (that is the transaction itself)', () => {
    const calls = decodeParityTraces([call([], A, B, '0x5'), call([0], B, C, '0x3'), call([0, 0], C, A, '0x1')], 't');
    expect(internalTransfersOf(calls)).toEqual([
      { traceAddress: '0', from: '0x2222222222222222222222222222222222222222', to: '0x3333333333333333333333333333333333333333', value: 3n, callType: 'call' },
      { traceAddress: '0.0', from: '0x3333333333333333333333333333333333333333', to: '0x1111111111111111111111111111111111111111', value: 1n, callType: 'call' },
    ]);
  });

  it('behavior: a call under a failed call moved nothing, though it did not fail itself', () => {
    const calls = decodeParityTraces([call([], A, B, '0x0'), { ...call([0], B, C, '0x3'), error: 'Reverted', result: null }, call([0, 0], C, A, '0x1'), call([1], B, A, '0x2')], 't');
    expect(calls.map((c) => c.status)).toEqual([1, 0, 0, 1]);
    expect(internalTransfersOf(calls).map((t) => t.traceAddress)).toEqual(['1']);
  });

  it('behavior: delegatecall, callcode and staticcall move no value; creations and self-destructs do', () => {
    const calls = decodeParityTraces([
      call([], A, B, '0x0'),
      { ...call([0], B, C, '0x9'), action: { callType: 'delegatecall', from: B, to: C, value: '0x9' } },
      { ...call([1], B, B, '0x9'), action: { callType: 'callcode', from: B, to: B, value: '0x9' } },
      { type: 'create', action: { from: B, value: '0x4', init: '0x', gas: '0x0' }, result: { address: C, code: '0x', gasUsed: '0x0' }, traceAddress: [2], subtraces: 0, transactionHash: H, transactionPosition: 0 },
      { type: 'suicide', action: { address: C, refundAddress: A, balance: '0x4' }, result: null, traceAddress: [3], subtraces: 0, transactionHash: H, transactionPosition: 0 },
    ], 't');
    expect(internalTransfersOf(calls).map((t) => [t.traceAddress, t.callType, t.value])).toEqual([['2', 'create', 4n], ['3', 'suicide', 4n]]);
  });

  it('behavior: geth callTracer frames give the same transfers, with trace addresses counted as trace_* counts them', () => {
    const frame = { type: 'CALL', from: A, to: B, value: '0x0', gas: '0x0', gasUsed: '0x0', input: '0x', calls: [
      { type: 'CALL', from: B, to: C, value: '0x3', gas: '0x0', gasUsed: '0x0', input: '0x', error: 'execution reverted', calls: [{ type: 'CALL', from: C, to: A, value: '0x1', gas: '0x0', gasUsed: '0x0', input: '0x' }] },
      { type: 'STATICCALL', from: B, to: C, gas: '0x0', gasUsed: '0x0', input: '0x' },
      { type: 'CALL', from: B, to: A, value: '0x2', gas: '0x0', gasUsed: '0x0', input: '0x' },
    ] };
    const calls = decodeCallTracerFrame(frame, { txHash: H, txIndex: 0 }, 't');
    expect(calls.map((c) => [c.traceAddress.join('.'), c.callType, c.status])).toEqual([['', 'call', 1], ['0', 'call', 0], ['0.0', 'call', 0], ['1', 'staticcall', 1], ['2', 'call', 1]]);
    expect(internalTransfersOf(calls).map((t) => [t.traceAddress, t.value])).toEqual([['2', 2n]]);
  });

  it('error: a trace that is not one is rejected with the source and request', () => {
    expect(() => decodeParityTraces([{ type: 'call' }], 'evm-rpc http://node/ trace_block 0x1')).toThrowErrorMatchingInlineSnapshot(`[CtraceError: evm-rpc http://node/ trace_block 0x1 trace 0: not a trace; nothing of this answer was stored]`);
  });
});
