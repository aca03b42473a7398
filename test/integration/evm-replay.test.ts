import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeEvmAddress } from '@cryptotrace/core';
import { TRANSFER_TOPIC, type TraceCall, createEvmRpc, createEvmRpcSource, fetchNeighbourhood, openSqliteStore, decodeTokenTransfers, decodeText, fetchBlockTraces, fetchTokenInfo, parseJsonExact } from '@cryptotrace/adapters';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReplayServer, recordingKey, startReplayServer } from '../support/evm-replay-server.js';
import { tempDir } from '../support/cli.js';
import { hasShared, needs, shared } from '../support/shared.js';

// Recorded Ethereum mainnet JSON-RPC responses from ethereum-etl's test resources, served by a local JSON-RPC
// server; what the EVM source decodes must equal ethereum-etl's expected exports beside them, field by field.
const ETL = 'data/ethereum/ethereum-etl/tests/resources';
const res = (rel: string) => shared(`${ETL}/${rel}`);
let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Rows of a CSV file with a header (quoted fields may hold commas). */
function csv(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8').trim();
  if (text === '') return [];
  const rows = text.split(/\r?\n/).map((line) => [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[2] ?? m[1]));
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}
const jsonLines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => parseJsonExact(l, path) as Record<string, unknown>);
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const addr = (v: unknown) => (text(v) === '' ? '' : normalizeEvmAddress(text(v)));

/** A trace frame in ethereum-etl's column names and text form. */
function asEtl(c: TraceCall) {
  return {
    transaction_hash: text(c.txHash), transaction_index: text(c.txIndex), from_address: text(c.from), to_address: text(c.to), value: text(c.value),
    input: text(c.input), output: text(c.output), trace_type: c.type, call_type: text(c.callType), reward_type: text(c.rewardType), gas: text(c.gas),
    gas_used: text(c.gasUsed), subtraces: text(c.subtraces), trace_address: c.traceAddress.join(','), error: text(c.error), status: text(c.status),
  };
}
/** ethereum-etl's expected row, same fields, addresses in EIP-55. */
function expectedTrace(r: Record<string, unknown>) {
  const ta = Array.isArray(r.trace_address) ? r.trace_address.join(',') : text(r.trace_address);
  return {
    transaction_hash: text(r.transaction_hash), transaction_index: text(r.transaction_index), from_address: addr(r.from_address), to_address: addr(r.to_address), value: text(r.value),
    input: text(r.input), output: text(r.output), trace_type: text(r.trace_type), call_type: text(r.call_type), reward_type: text(r.reward_type), gas: text(r.gas),
    gas_used: text(r.gas_used), subtraces: text(r.subtraces), trace_address: ta, error: text(r.error), status: text(r.status),
  };
}

describe.skipIf(!hasShared(ETL))(needs(ETL, 'EVM replay of ethereum-etl recordings: traces'), () => {
  const parityDirs = hasShared(ETL) ? readdirSync(res('test_export_traces_job')) : ['(absent)'];
  it.each(parityDirs)('default: trace_block of %s gives expected_traces.csv field by field', async (name) => {
    const dir = res(`test_export_traces_job/${name}`);
    server = await startReplayServer([dir]);
    const block = Number(/trace_block_(0x[0-9a-f]+)/.exec(readdirSync(dir).join(' '))![1]);
    const got = (await fetchBlockTraces(createEvmRpc({ url: server.url }), block, 'parity')).map(asEtl);
    const want = csv(join(dir, 'expected_traces.csv')).map(expectedTrace);
    expect(got).toEqual(want);
  });

  const gethDirs = hasShared(ETL) ? readdirSync(res('test_extract_geth_traces_job')) : ['(absent)'];
  it.each(gethDirs)('default: debug_traceBlockByNumber (callTracer) of %s gives expected_traces.csv field by field', async (name) => {
    const dir = res(`test_extract_geth_traces_job/${name}`);
    server = await startReplayServer([dir]);
    const block = Number(/debug_traceBlockByNumber_(0x[0-9a-f]+)/.exec(readdirSync(dir).join(' '))![1]);
    const got = (await fetchBlockTraces(createEvmRpc({ url: server.url }), block, 'geth')).map(asEtl);
    // ethereum-etl leaves status to a later job for geth traces: that column is empty in the expected file.
    const want = csv(join(dir, 'expected_traces.csv')).map(expectedTrace);
    expect(got.map((g) => ({ ...g, status: '' }))).toEqual(want);
  });

  it.each(['blocks_2112234_2112234', 'blocks_508110_508110'])('default: trace_block of test_stream/%s gives expected_traces.json field by field', async (name) => {
    const dir = res(`test_stream/${name}`);
    server = await startReplayServer([dir]);
    const block = Number(name.split('_')[1]);
    const got = (await fetchBlockTraces(createEvmRpc({ url: server.url }), block, 'parity')).map(asEtl);
    expect(got).toEqual(jsonLines(join(dir, 'expected_traces.json')).map(expectedTrace));
    expect(got.length).toBeGreaterThan(1);
  });
});

describe.skipIf(!hasShared(ETL))(needs(ETL, 'EVM replay of ethereum-etl recordings: blocks, receipts, token transfers'), () => {
  it('default: block 483,920 (recorded block and receipts) gives expected_token_transfers.csv; eth_getLogs gives the same', async () => {
    server = await startReplayServer([res('test_export_blocks_job/block_with_logs'), res('test_export_receipts_job/receipts_with_logs'), res('test_export_token_transfers_job/block_with_transfers')]);
    const notices: string[] = [];
    const source = createEvmRpcSource({ chain: 'ethereum', url: server.url, verifyChainId: false, tokenMetadata: false, onNotice: (m) => notices.push(m) });
    const want = csv(res('test_export_token_transfers_job/block_with_transfers/expected_token_transfers.csv')).map((r) => ({
      token: addr(r.token_address), from: addr(r.from_address), to: addr(r.to_address), value: r.value, tx: r.transaction_hash, logIndex: r.log_index, block: r.block_number,
    }));
    const records = await source.getBlock(483_920);
    const got = records.accountTransactions!.flatMap((t) => t.tokenTransfers.map((x) => ({ token: x.token, from: x.from, to: x.to, value: String(x.value), tx: t.hash, logIndex: String(x.logIndex), block: String(t.blockNumber) })));
    expect(got).toEqual(want);
    const receipts = csv(res('test_export_receipts_job/receipts_with_logs/expected_receipts.csv'));
    for (const r of receipts) {
      const tx = records.accountTransactions!.find((t) => t.hash === r.transaction_hash)!;
      expect({ position: String(tx.position), fee: String(tx.fee), block: tx.blockHash }).toEqual({ position: r.transaction_index, fee: String(BigInt(r.gas_used) * BigInt(r.effective_gas_price)), block: r.block_hash });
    }
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/offers neither trace_\* nor debug_trace\* \(callTracer\): internal transfers are unavailable/);

    const logs = await createEvmRpc({ url: server.url }).call('eth_getLogs', [{ fromBlock: '0x76250', toBlock: '0x76250', topics: ['0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef'] }]);
    expect(decodeTokenTransfers(logs, 'replay').map((x) => ({ token: x.token, from: x.from, to: x.to, value: String(x.value), tx: x.txHash, logIndex: String(x.logIndex), block: String(x.blockNumber) }))).toEqual(want);
  });

  it('default: blocks 1,755,634-5 (recorded blocks, per-transaction receipts) give expected_transactions and expected_token_transfers', async () => {
    const dir = res('test_stream/blocks_1755634_1755635');
    server = await startReplayServer([dir]);
    const source = createEvmRpcSource({ chain: 'ethereum', url: server.url, verifyChainId: false, tokenMetadata: false });
    const txs = [...(await source.getBlock(1_755_634)).accountTransactions!, ...(await source.getBlock(1_755_635)).accountTransactions!];
    expect(server.requests.filter((r) => r.startsWith('eth_getTransactionReceipt'))).toHaveLength(2);
    const want = jsonLines(join(dir, 'expected_transactions.json'));
    expect(txs.map((t) => ({ hash: t.hash, nonce: String(t.nonce), index: String(t.position), from: t.from, to: t.to ?? '', value: String(t.value), block: String(t.blockNumber), time: String(t.blockTime), fee: String(t.fee) })))
      .toEqual(want.map((r) => ({ hash: r.hash, nonce: text(r.nonce), index: text(r.transaction_index), from: addr(r.from_address), to: addr(r.to_address), value: text(r.value), block: text(r.block_number), time: text(r.block_timestamp),
        fee: String(BigInt(text(r.receipt_gas_used)) * BigInt(text(r.receipt_effective_gas_price))) })));
    const transfers = txs.flatMap((t) => t.tokenTransfers.map((x) => ({ token: x.token, from: x.from, to: x.to, value: String(x.value), tx: t.hash, logIndex: String(x.logIndex) })));
    expect(transfers).toEqual(jsonLines(join(dir, 'expected_token_transfers.json')).map((r) => ({ token: addr(r.token_address), from: addr(r.from_address), to: addr(r.to_address), value: text(r.value), tx: r.transaction_hash, logIndex: text(r.log_index) })));
  });

  it.each(['token_with_alternative_return_type', 'token_with_invalid_data'])('default: token metadata of %s (eth_call name, symbol, decimals) gives expected_tokens.csv', async (name) => {
    const dir = res(`test_export_tokens_job/${name}`);
    server = await startReplayServer([dir]);
    const [want] = csv(join(dir, 'expected_tokens.csv'));
    const info = await fetchTokenInfo(createEvmRpc({ url: server.url }), 'ethereum', normalizeEvmAddress(want.address));
    expect({ name: info.name, symbol: info.symbol, decimals: info.decimals }).toEqual({ name: want.name, symbol: want.symbol, decimals: Number(want.decimals) });
  });
});

describe.skipIf(!hasShared(ETL))(needs(ETL, 'EVM replay with tampered answers: rejected, nothing stored'), () => {
  const dirs = () => [res('test_export_blocks_job/block_with_logs'), res('test_export_receipts_job/receipts_with_logs')];
  // Built while collecting, so it must not read ../shared when the block is skipped.
  const readJson = (rel: string) => (hasShared(ETL) ? (JSON.parse(readFileSync(res(rel), 'utf8')) as { result: Record<string, unknown> }).result : {});
  const BLOCK = 'test_export_blocks_job/block_with_logs/web3_response.eth_getBlockByNumber_0x76250_true.json';
  const RECEIPT = (h: string) => `test_export_receipts_job/receipts_with_logs/web3_response.eth_getTransactionReceipt_${h}.json`;
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a receipt of another transaction', { [recordingKey('eth_getTransactionReceipt', ['0x04cbcb236043d8fb7839e07bbc7f5eed692fb2ca55d897f1101eac3e3ad4fab8'])]: readJson(RECEIPT('0x463d53f0ad57677a3b430a007c1c31d15d62c37fab5eee598551697c297c235c')) }, /tx 0x04cbcb23\w+: its receipt is missing/],
    ['another block than asked', { [recordingKey('eth_getBlockByNumber', ['0x76250', true])]: { ...readJson(BLOCK), number: '0x76251' } }, /eth_getBlockByNumber 483920: the answer is block 483921/],
    ['a transaction placed in another block', { [recordingKey('eth_getBlockByNumber', ['0x76250', true])]: { ...readJson(BLOCK), hash: `0x${'11'.repeat(32)}` } }, /does not sit at position 0 of block 0x1111/],
  ];
  it.each(cases)('error: %s is rejected with the source and request, and nothing of the block is stored', async (_name, overrides, message) => {
    server = await startReplayServer(dirs(), overrides);
    const dir = tempDir('ctrace-evm-replay-');
    const store = openSqliteStore(join(dir, 'case.db'), { create: true });
    try {
      const source = createEvmRpcSource({ chain: 'ethereum', url: server.url, verifyChainId: false, tokenMetadata: false });
      const err = await fetchNeighbourhood(store, source, { chain: source.chain, target: { kind: 'block', block: 483_920 } }).catch((e) => e);
      expect(err.code).toBe('SOURCE_INVALID');
      expect(err.message).toMatch(message);
      expect(err.message).toContain(`evm-rpc ${server.url}`);
      expect(store.stats().transactions).toBe(0);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasShared(ETL))(needs(ETL, 'EVM log decoding against ethereum-etl exports (no RPC: the logs are given as exported)'), () => {
  it('default: the 2 blocks of test_stream/blocks_17173049_17173050: every ERC-20 transfer of expected_logs, and only the ERC-721 ones left out', () => {
    const dir = res('test_stream/blocks_17173049_17173050');
    const logs = jsonLines(join(dir, 'expected_logs.json'));
    const asRpc = logs.map((l) => ({ address: l.address, topics: l.topics, data: l.data, logIndex: `0x${Number(l.log_index).toString(16)}`, transactionHash: l.transaction_hash, blockNumber: `0x${Number(l.block_number).toString(16)}` }));
    const got = decodeTokenTransfers(asRpc, 'expected_logs.json').map((x) => ({ token: x.token, from: x.from, to: x.to, value: String(x.value), tx: x.txHash, logIndex: String(x.logIndex) }));
    const expected = jsonLines(join(dir, 'expected_token_transfers.json'));
    const erc721 = new Set(logs.filter((l) => (l.topics as string[]).length === 4 && (l.topics as string[])[0] === TRANSFER_TOPIC).map((l) => `${l.transaction_hash}:${l.log_index}`));
    const want = expected.filter((r) => !erc721.has(`${r.transaction_hash}:${r.log_index}`))
      .map((r) => ({ token: addr(r.token_address), from: addr(r.from_address), to: addr(r.to_address), value: text(r.value), tx: r.transaction_hash, logIndex: text(r.log_index) }));
    expect(got).toEqual(want);
    expect(got.length).toBeGreaterThan(200);
    expect(expected.length - want.length).toBe(erc721.size);
  });

  it('behavior: untrusted token text is cleaned (control characters, NULs), bytes32 answers are read as text', () => {
    const abiString = (s: string) => `0x${'20'.padStart(64, '0')}${Buffer.byteLength(s).toString(16).padStart(64, '0')}${Buffer.from(s).toString('hex').padEnd(64, '0')}`;
    expect(decodeText(abiString('T\u202eUSD\u0007'))).toBe('TUSD');
    expect(decodeText(`0x${Buffer.from('MKR').toString('hex').padEnd(64, '0')}`)).toBe('MKR');
    expect(decodeText('0x')).toBeNull();
  });
});
