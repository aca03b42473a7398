import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEsploraSource, fetchNeighbourhood, openSqliteStore } from '@cryptotrace/adapters';
import { getChain } from '@cryptotrace/core';
import { CLI, tempDir } from '../support/cli.js';
import { ctraceAsync } from '../support/cli-async.js';
import { type EsploraStandIn, startEsploraStandIn } from '../support/esplora-standin.js';
import { type Litecoind, type Scenario, buildScenario, freePort, hasLitecoind, startLitecoind } from '../support/litecoind.js';
import { sendJson } from '../support/source-server.js';

// Faults come from the Esplora STAND-IN (test/support/esplora-standin.ts, serving a real litecoind chain in
// Esplora's formats): a local server is the only way to make a source misbehave on cue.
const chain = getChain('litecoin-regtest');

describe.skipIf(!hasLitecoind())('fetch faults: retries, timeouts, bad answers, a killed fetch resumed', () => {
  let node: Litecoind;
  let esplora: EsploraStandIn;
  let sc: Scenario;
  const retries: { delayMs: number; reason: string }[] = [];

  beforeAll(async () => {
    node = await startLitecoind();
    sc = await buildScenario(node, 8);
    esplora = await startEsploraStandIn(node);
  });
  afterAll(async () => {
    await esplora?.close();
    await node?.stop();
  });
  afterEach(() => {
    esplora.fault = null;
    retries.length = 0;
  });

  const src = (extra: Partial<Parameters<typeof createEsploraSource>[0]> = {}) =>
    createEsploraSource({ chain, url: esplora.api, retries: 2, backoffMs: 10, timeoutMs: 400, onRetry: (r) => void retries.push(r), ...extra });
  const db = () => openSqliteStore(join(tempDir(), 'f.db'), { create: true });
  /** Break the first `times` requests for a path with `answer`; later ones go through. */
  const breakPath = (path: string, times: number, answer: (res: ServerResponse) => void) => {
    let n = 0;
    esplora.fault = (_req, res, p) => {
      if (p !== path || n >= times) return false;
      n++;
      answer(res);
      return true;
    };
  };

  it('behavior: a 429 with Retry-After is waited out, then the answer is stored', async () => {
    breakPath(`tx/${sc.txs.peel1}`, 1, (res) => sendJson(res, 'Too Many Requests', 429, { 'retry-after': '1' }));
    const store = db();
    await fetchNeighbourhood(store, src(), { chain, target: { kind: 'tx', txid: sc.txs.peel1 } });
    expect(retries.map((r) => r.delayMs)).toEqual([1000]);
    expect(store.getTransaction(chain.name, sc.txs.peel1)).not.toBeNull();
  });

  it('behavior: 500s are retried with backoff', async () => {
    breakPath(`tx/${sc.txs.peel1}`, 2, (res) => sendJson(res, 'Internal Server Error', 500));
    const store = db();
    await fetchNeighbourhood(store, src(), { chain, target: { kind: 'tx', txid: sc.txs.peel1 } });
    expect(retries).toHaveLength(2);
    expect(retries[0].reason).toMatch(/GET tx\/[0-9a-f]{64}: HTTP 500: Internal Server Error/);
  });

  it('error: a hang past the timeout fails after the last retry; what was fetched before stays', async () => {
    // peel2 is fetched, then its parent peel1 hangs.
    esplora.fault = (_req, _res, p) => p === `tx/${sc.txs.peel1}`;
    const store = db();
    const err = await fetchNeighbourhood(store, src(), { chain, target: { kind: 'tx', txid: sc.txs.peel2 }, hops: 1, direction: 'in', resolveInputs: false }).catch((e) => e);
    expect(err.code).toBe('SOURCE_UNREACHABLE');
    expect(err.shortMessage).toMatch(new RegExp(`^esplora http://127.0.0.1:\\d+/api/: GET tx/${sc.txs.peel1}: no complete answer within 400 ms, after 3 attempts; what was fetched before is kept`));
    expect(store.getTransaction(chain.name, sc.txs.peel2)).not.toBeNull();
    expect(store.getTransaction(chain.name, sc.txs.peel1)).toBeNull();
  });

  it.each([
    ['malformed JSON', (res: ServerResponse) => sendJson(res, '{"txid": "ab", "vin": ['), /not valid JSON/],
    ['a truncated body', (res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
      res.write('{"txid":"');
      setTimeout(() => res.destroy(), 10);
    }, /the answer was cut off mid-body/],
  ])('error: %s is rejected with SOURCE_INVALID and nothing of it is stored', async (_name, answer, message) => {
    breakPath(`tx/${sc.txs.payment}`, 99, answer);
    const store = db();
    const err = await fetchNeighbourhood(store, src(), { chain, target: { kind: 'tx', txid: sc.txs.payment } }).catch((e) => e);
    expect(err.code).toBe('SOURCE_INVALID');
    expect(err.shortMessage).toMatch(message);
    expect(err.shortMessage).toContain(`GET tx/${sc.txs.payment}`);
    expect(store.stats().transactions).toBe(0);
  });

  type Json = Record<string, any>;
  it.each([
    ['another transaction for the one asked', (_own: Json, other: Json) => other, /answered with transaction [0-9a-f]{64}, not/],
    ['an output value changed', (own: Json) => ({ ...own, vout: own.vout.map((o: Json, k: number) => (k === 0 ? { ...o, value: o.value + 1 } : o)) }), /its fields hash to [0-9a-f]{64}, not to its txid/],
    ['a fee that does not add up', (own: Json) => ({ ...own, fee: own.fee + 1 }), /the values do not add up/],
  ])('error: %s is rejected whole', async (_name, tamper: (own: Json, other: Json) => Json, message) => {
    const asked = sc.txs.payment;
    esplora.fault = (_req, res, p) => {
      if (p !== `tx/${asked}`) return false;
      sendJson(res, tamper(esplora.txJson(asked), esplora.txJson(sc.txs.peel1)));
      return true;
    };
    const store = db();
    const err = await fetchNeighbourhood(store, src(), { chain, target: { kind: 'tx', txid: asked } }).catch((e) => e);
    expect(err.code).toBe('SOURCE_INVALID');
    expect(err.shortMessage).toMatch(message);
    expect(err.shortMessage).toMatch(/nothing of it was stored/);
    expect(store.stats().transactions).toBe(0);
  });

  it('error: through the CLI, one line and exit 3', async () => {
    breakPath(`tx/${sc.txs.payment}`, 99, (res) => sendJson(res, 'down', 503));
    const r = await ctraceAsync(['--db', join(tempDir(), 'c.db'), 'fetch', 'litecoin-regtest', 'tx', sc.txs.payment, '--esplora-url', esplora.api, '--retries', '1']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^note: .*HTTP 503: down; retry 1 in \d+\.\d s\nctrace: esplora .*GET tx\/[0-9a-f]{64}: HTTP 503: down, after 2 attempts; what was fetched before is kept, run the command again to resume\n$/);
  });

  it('behavior: a fetch killed mid-way then resumed gives the same store as one run through: no duplicate, no loss', async () => {
    const args = (file: string) => ['--db', file, '--json', 'fetch', 'litecoin-regtest', 'tx', sc.txs.peel1, '--esplora-url', esplora.api, '--hops', '3', '--direction', 'both', '--max-txs', '25', '--concurrency', '1'];
    const reference = join(tempDir(), 'ref.db');
    // The reference runs with 4 requests in flight: commits go in frontier order, so the store is the same.
    const straight = await ctraceAsync([...args(reference).slice(0, -1), '4']);
    expect(straight.code).toBe(0);
    const refSummary = JSON.parse(straight.stdout);
    expect(refSummary.admitted).toBeGreaterThan(8);

    // Slow every answer down and kill the process after its 10th request.
    const file = join(tempDir(), 'killed.db');
    let seen = 0;
    let killed = false;
    let child: ChildProcess | undefined;
    esplora.fault = async () => {
      seen++;
      if (seen === 10 && child) {
        killed = true;
        child.kill('SIGKILL');
      }
      await new Promise((r) => setTimeout(r, 30));
      return false;
    };
    const first = await ctraceAsync(args(file), { onSpawn: (c) => (child = c) });
    expect(killed).toBe(true);
    expect(first.signal).toBe('SIGKILL');
    esplora.fault = null;
    const partial = openSqliteStore(file);
    const before = partial.stats().transactions;
    partial.close();
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(refSummary.transactions);

    const resumed = await ctraceAsync(args(file));
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ resumed: true, admitted: refSummary.admitted, missing: [] });

    const a = openSqliteStore(reference);
    const b = openSqliteStore(file);
    const dump = (s: typeof a) => [...s.iterateUtxoTransactions(chain.name)].sort((x, y) => (x.txid < y.txid ? -1 : 1));
    expect(dump(b)).toEqual(dump(a));
    expect(b.db.prepare('SELECT count(*) - count(DISTINCT txid) FROM txs').pluck().get()).toBe(0);
    expect(b.db.prepare("SELECT count(*) FROM fetch_frontier WHERE state = 'pending'").pluck().get()).toBe(0);
    a.close();
    b.close();

    // A third run finds the job complete and asks the source for nothing.
    esplora.requests.length = 0;
    const again = await ctraceAsync(args(file));
    expect(JSON.parse(again.stdout)).toMatchObject({ alreadyComplete: true, fetchedTransactions: 0 });
    expect(esplora.requests).toHaveLength(0);
  });

  it('behavior: Ctrl-C stops after the current step with exit 130; the same command resumes', async () => {
    const file = join(tempDir(), 'int.db');
    const args = ['--db', file, 'fetch', 'litecoin-regtest', 'tx', sc.txs.peel1, '--esplora-url', esplora.api, '--hops', '3', '--max-txs', '25', '--concurrency', '1'];
    let seen = 0;
    let child: ChildProcess | undefined;
    esplora.fault = async () => {
      if (++seen === 5) child?.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 30));
      return false;
    };
    const first = await ctraceAsync(args, { onSpawn: (c) => (child = c) });
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/interrupted: everything above is committed; run the same command again to resume/);
    esplora.fault = null;
    const second = await ctraceAsync(args);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^resumed from esplora /);
  });
});

describe('ctrace fetch: usage errors (built binary, no network)', () => {
  const run = (...args: string[]) => ctraceAsync(['--db', join(tempDir(), 'u.db'), 'fetch', ...args]);

  it.each([
    [['bitcoin', 'tx', 'abc', '--offline'], /"abc" is not a bitcoin transaction id: expected 64 hex digits/],
    [['bitcoin', 'address', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', '--offline'], /not a bitcoin address: not a base58check address with a valid checksum/],
    [['bitcoin', 'blocks', '10', '5', '--offline'], /fetch blocks 10 5: <to> is below <from>/],
    [['bitcoin', 'tx', 'ab'.repeat(32)], /no source for bitcoin: give --rpc-url .* or --esplora-url, or --offline/],
    [['ethereum', 'block', '1', '--esplora-url', 'http://127.0.0.1:1/'], /--esplora-url is for Bitcoin-family chains/],
    [['bitcoin', 'coins', 'x'], /fetch what\? "coins" is not tx, address, block or blocks/],
    [['bitcoin', 'tx', 'ab'.repeat(32), '--hops', 'many', '--offline'], /--hops must be a whole number from 0 to 50, not "many"/],
  ])('error: %j', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('error: an unreachable node is one line after the retries, exit 3, the password never shown', async () => {
    const port = await freePort();
    const r = await run('bitcoin', 'tx', 'ab'.repeat(32), '--rpc-url', `http://alice:hunter2secret@127.0.0.1:${port}/`, '--retries', '0');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^ctrace: bitcoin-core-rpc http:\/\/\*\*\*@127\.0\.0\.1:\d+\/: POST getblockhash \[0\]: cannot connect \(fetch failed: ECONNREFUSED\), after 1 attempt/);
    expect(r.stderr).not.toContain('hunter2secret');
  });

  it.skipIf(!existsSync('/usr/bin/script'))('behavior: on a terminal a progress bar is drawn on stderr, and cleared', () => {
    // util-linux `script` gives the binary a real pseudo-terminal.
    const db = join(tempDir(), 'tty.db');
    const r = spawnSync('/usr/bin/script', ['-qc', `${process.execPath} ${CLI} --db ${db} fetch bitcoin blocks 1 3 --offline`, '/dev/null'], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/\rfetch \[#+\.*\] +\d+% \d+ blocks, 0 fetched/);
    expect(r.stdout).toContain('\r\u001b[K');
    expect(r.stdout).toMatch(/not found: block 1, block 2, block 3/);
  });
});
