import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type AccountTransaction, getChain } from '@cryptotrace/core';
import { type ChainSource, createEvmRpcSource, createExplorerApiSource, fetchNeighbourhood, openSqliteStore, type SqliteStore } from '@cryptotrace/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAnvil } from '../support/anvil.js';
import { CLI, tempDir } from '../support/cli.js';
import { spawn } from 'node:child_process';
import { type EtherscanStandIn, startEtherscanStandIn } from '../support/etherscan-standin.js';

// The explorer here is a STAND-IN (test/support/etherscan-standin.ts): a local server that speaks the documented
// Etherscan account-API format, paging included, over an index it builds from a real anvil playing the scenario.
// No real Etherscan or Blockscout can run in this environment.
const KEY = 'Sk3yVeryS3cretApiKey4567';
const anvil = useAnvil();
const chain = getChain('anvil');
const dir = tempDir('ctrace-evm-explorer-');
let standIn: EtherscanStandIn;
let store: SqliteStore;
let source: ChainSource;
const notices: string[] = [];

beforeAll(async () => {
  standIn = await startEtherscanStandIn(anvil.node.rpcUrl, { apiKey: KEY, window: 6, token: anvil.truth.token });
  store = openSqliteStore(join(dir, 'case.db'), { create: true });
  source = createExplorerApiSource({ chain, url: standIn.url, apiKey: KEY, pageSize: 3, resultWindow: 6, onNotice: (m) => notices.push(m) });
});
afterAll(async () => {
  store?.close();
  await standIn?.close();
  rmSync(dir, { recursive: true, force: true });
});

const actor = (role: string, n = 0) => anvil.truth.actors.filter((a) => a.role === role)[n].address;
const touching = (who: string) => anvil.truth.txs.filter((x) =>
  x.from === who || x.to === who || x.tokenTransfers.some((y) => y.from === who || y.to === who) || x.internalTransfers.some((y) => y.to === who || y.from === who));

async function history(src: ChainSource, who: string): Promise<{ txids: string[]; txs: AccountTransaction[] }> {
  const out = { txids: [] as string[], txs: [] as AccountTransaction[] };
  let cursor: string | null = null;
  do {
    const page = await src.getAddressHistory!(who, cursor);
    out.txids.push(...page.txids);
    out.txs.push(...(page.records.accountTransactions ?? []));
    cursor = page.next;
  } while (cursor !== null);
  return out;
}

describe('Etherscan-compatible account API (stand-in server)', () => {
  it('default: txlist, txlistinternal and tokentx pages give every transaction of an address, whole', async () => {
    for (const who of [actor('aggregator'), actor('payee', 0), actor('exchange-hot')]) {
      const want = touching(who);
      const got = await history(source, who);
      expect(new Set(got.txids), who).toEqual(new Set(want.map((x) => x.hash)));
      for (const played of want) {
        const tx = got.txs.find((t) => t.hash === played.hash)!;
        expect({ from: tx.from, to: tx.to, value: tx.value, status: tx.status, fee: tx.fee, block: tx.blockNumber }).toEqual({ from: played.from, to: played.to, value: played.value, status: played.status, fee: played.fee, block: played.blockNumber });
        expect(tx.tokenTransfers.map(({ token, from, to, value }) => ({ token, from, to, value }))).toEqual(played.tokenTransfers);
        expect(tx.internalTransfers.map(({ from, to, value }) => ({ from, to, value }))).toEqual(played.internalTransfers);
      }
    }
  });

  it('behavior: pages follow page/offset, then narrow endblock past the result window', async () => {
    const deployer = actor('deployer');
    const got = await history(source, deployer);
    expect(new Set(got.txids)).toEqual(new Set(touching(deployer).map((x) => x.hash)));
    expect(touching(deployer).length).toBeGreaterThan(6);
    const txlist = standIn.requests.filter((q) => q.get('action') === 'txlist' && q.get('address') === deployer);
    expect(txlist.map((q) => `${q.get('page')}:${q.get('offset')}:${q.get('endblock')}:${q.get('sort')}`).slice(0, 3)).toEqual(['1:3:99999999:desc', '2:3:99999999:desc', expect.stringMatching(/^1:3:\d+:desc$/)]);
    expect(Number(txlist[2].get('endblock'))).toBeLessThan(anvil.truth.toBlock);
  });

  it('behavior: a "Max rate limit reached" answer is waited out and retried', () => {
    const tokentx = standIn.requests.filter((q) => q.get('action') === 'tokentx');
    expect(tokentx[0].toString()).toBe(tokentx[1].toString());
  });

  it('behavior: internal transactions listed by hash (no traceId) are numbered in the API\'s order', async () => {
    const withdraw = anvil.truth.txs.find((x) => x.kind === 'mixer-withdraw')!;
    const r = await source.getTransaction(withdraw.hash);
    expect(r.accountTransactions?.[0].internalTransfers).toEqual([{ traceAddress: '#0', from: anvil.truth.contracts.mixer, to: withdraw.internalTransfers[0].to, value: anvil.truth.denomination, callType: 'call' }]);
  });

  it('behavior: through the fetch planner it writes with provenance, and the API key is nowhere in the store', async () => {
    const who = actor('aggregator');
    await fetchNeighbourhood(store, source, { chain, target: { kind: 'address', address: who } });
    const rpc = createEvmRpcSource({ chain, url: anvil.node.rpcUrl });
    for (const played of touching(who)) {
      const mine = store.getTransaction('anvil', played.hash) as AccountTransaction;
      const theirs = (await rpc.getTransaction(played.hash)).accountTransactions![0];
      expect({ ...mine, internalTransfers: mine.internalTransfers.map(({ traceAddress: _t, ...x }) => x) }).toEqual({ ...theirs, internalTransfers: theirs.internalTransfers.map(({ traceAddress: _t, ...x }) => x) });
    }
    expect(store.provenance().map((p) => [p.source, p.locator, p.format])).toContainEqual(['explorer-api', standIn.url, 'etherscan-json']);
    expect(store.db.prepare('SELECT name, symbol, decimals FROM tokens').all()).toEqual([{ name: 'Test USD', symbol: 'TUSD', decimals: 6 }]);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(store.path).includes(KEY)).toBe(false);
  });

  it('error: a refused key is one clear SOURCE_INVALID error that does not quote the key', async () => {
    const wrong = createExplorerApiSource({ chain, url: standIn.url, apiKey: 'WrongKey0123456789abcdef' });
    const err = await wrong.getAddressHistory!(actor('aggregator'), null).catch((e) => e);
    expect(err.code).toBe('SOURCE_INVALID');
    expect(err.shortMessage).toMatch(/the API refused: Invalid API Key \(check --explorer-api-key\)/);
    expect(err.message).not.toContain('WrongKey0123456789abcdef');
    expect(notices).toEqual([]);
  });

  it('default: ctrace fetch address --explorer-api-url, key from $CTRACE_EXPLORER_API_KEY (the built binary)', async () => {
    const db = join(dir, 'cli.db');
    const who = actor('payee', 1);
    // The CLI pages with the default offset (1000): this stand-in has Etherscan's own result window.
    const api = await startEtherscanStandIn(anvil.node.rpcUrl, { apiKey: KEY, token: anvil.truth.token });
    // Asynchronous spawn: the stand-in server answers from this process.
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, '--db', db, '--json', 'fetch', 'anvil', 'address', who, '--explorer-api-url', api.url], { env: { ...process.env, CTRACE_EXPLORER_API_KEY: KEY, NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    await api.close();
    // The stand-in answers the first tokentx with Etherscan's "Max rate limit reached": one note, then the retry.
    expect(r.stderr).toMatch(/^note: explorer-api http:\/\/127\.0\.0\.1:\d+\/api: rate-limited \("Max rate limit reached"\); retry 1 in \d\.\d s\n$/);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.source).toEqual({ kind: 'explorer-api', locator: api.url });
    expect(out.transactions).toBe(touching(who).length);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });
});
