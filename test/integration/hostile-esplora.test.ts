import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEsploraSource, fetchNeighbourhood, openSqliteStore, streamUtxoTransactions } from '@cryptotrace/adapters';
import { getChain } from '@cryptotrace/core';
import { tempDir } from '../support/cli.js';
import { ctraceAsync } from '../support/cli-async.js';
import { type EsploraStandIn, startEsploraStandIn } from '../support/esplora-standin.js';
import { type Litecoind, type Scenario, buildScenario, hasLitecoind, startLitecoind } from '../support/litecoind.js';
import { sendJson } from '../support/source-server.js';

// A hostile Esplora: the STAND-IN (test/support/esplora-standin.ts, a real litecoind chain in Esplora's formats)
// with `fault` answering chosen requests the way a broken or malicious server would. The miner's address has
// 105 coinbases and more: five pages of history.
const chain = getChain('litecoin-regtest');

describe.skipIf(!hasLitecoind())('hostile Esplora: address paging always ends, answers are size-capped, values are checked', () => {
  let node: Litecoind;
  let esplora: EsploraStandIn;
  let sc: Scenario;

  beforeAll(async () => {
    node = await startLitecoind();
    sc = await buildScenario(node);
    esplora = await startEsploraStandIn(node);
  });
  afterAll(async () => {
    await esplora?.close();
    await node?.stop();
  });
  afterEach(() => {
    esplora.fault = null;
  });

  const history = (cursor?: string) => `address/${sc.addr.miner}/txs/chain${cursor ? `/${cursor}` : ''}`;
  const firstPage = async () => (await fetch(`${esplora.api}${history()}`)).json();
  const fetchMiner = (file: string, ...extra: string[]) =>
    ctraceAsync(['--db', file, '--json', 'fetch', 'litecoin-regtest', 'address', sc.addr.miner, '--esplora-url', esplora.api, '--retries', '0', '--max-txs', '100000', ...extra]);
  const cursorRequests = () => esplora.requests.filter((r) => r.url.startsWith(`/api/${history()}/`)).length;

  it('error: a server that answers every cursor with the first page again: the fetch stops at the repeat, says so in one line, exit 0', async () => {
    esplora.fault = async (_req, res, path) => {
      if (!path.startsWith(`${history()}/`)) return false;
      sendJson(res, await firstPage());
      return true;
    };
    esplora.requests.length = 0;
    const file = join(tempDir(), 'repeat.db');
    const r = await fetchMiner(file);
    expect(r.code, r.stderr).toBe(0);
    expect(cursorRequests()).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.cut).toEqual([{ kind: 'address', key: sc.addr.miner, pages: 2, bytes: expect.any(Number), reason: expect.stringMatching(/same page again/) }]);
    expect(r.stderr).toMatch(new RegExp(`^note: the history of ${sc.addr.miner} was cut after 2 pages \\(\\d+ bytes\\) in this run: the source answered the cursor [0-9a-f]{64} with the same page again \\(a broken source\\); what the pages before listed is kept\\n$`));
    // One page's transactions admitted (their parents are fetched too, to check the values they claim).
    expect(out.admitted).toBe(25);
  });

  it('error: pages that cycle (first, second, first again) stop at the cursor seen before', async () => {
    let n = 0;
    esplora.fault = async (_req, res, path) => {
      if (!path.startsWith(`${history()}/`) || ++n < 2) return false;
      sendJson(res, await firstPage());
      return true;
    };
    esplora.requests.length = 0;
    const r = await fetchMiner(join(tempDir(), 'cycle.db'));
    expect(r.code, r.stderr).toBe(0);
    expect(cursorRequests()).toBe(2);
    expect(JSON.parse(r.stdout).cut[0]).toMatchObject({ pages: 3, reason: expect.stringMatching(/pages run in a cycle back to the cursor [0-9a-f]{64}/) });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('args: --max-pages bounds the pages of one address per run; the cut is reported and what came before is kept', async () => {
    const file = join(tempDir(), 'bound.db');
    const r = await fetchMiner(file, '--max-pages', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).cut[0]).toMatchObject({ pages: 2, reason: '2 pages is the limit per address (--max-pages raises it)' });
    expect(r.stderr).toMatch(/^note: the history of \S+ was cut after 2 pages/);
    expect(JSON.parse(r.stdout).admitted).toBe(50);
  });

  it.each([
    [{ addressBytes: 1 }, 1, /^1 bytes is the limit per address$/],
    [{ runPages: 3 }, 3, /^3 pages is the limit of one run$/],
    [{ runBytes: 1 }, 1, /^1 bytes is the limit of one run$/],
  ])('behavior: the paging bound %j cuts the history after %i pages, and says which bound', async (paging, pages, reason) => {
    const store = openSqliteStore(join(tempDir(), 'bounds.db'), { create: true });
    const source = createEsploraSource({ chain, url: esplora.api, retries: 0 });
    const r = await fetchNeighbourhood(store, source, { chain, target: { kind: 'address', address: sc.addr.miner }, maxTxs: 100_000, paging });
    expect(r.cut).toHaveLength(1);
    expect(r.cut[0]).toMatchObject({ key: sc.addr.miner, pages, reason: expect.stringMatching(reason) });
    expect(r.cut[0].bytes).toBeGreaterThan(0);
    expect(r.admitted).toBe(25 * pages);
    store.close();
  });

  it('error: a 50 MB page is refused after the cap (--max-response-mb 1) without reading the rest: one line, exit 3, nothing stored', async () => {
    let written = 0;
    let closed = false;
    const huge = async (res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const gone = new Promise((r) => res.once('close', r)).then(() => (closed = true));
      const chunk = Buffer.alloc(64 * 1024, ' ');
      res.write('[');
      while (!closed && written < 50 * 1024 * 1024) {
        written += chunk.length;
        if (!res.write(chunk)) await Promise.race([new Promise((r) => res.once('drain', r)), gone]);
      }
      res.end(']');
    };
    esplora.fault = (_req, res, path) => {
      if (path !== history()) return false;
      void huge(res);
      return true;
    };
    const file = join(tempDir(), 'huge.db');
    const r = await fetchMiner(file, '--max-response-mb', '1');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^ctrace: esplora http://127.0.0.1:\\d+/api/: GET ${history()}: the answer is more than the limit of 1048576 bytes \\(--max-response-mb raises it\\); nothing of it was stored\\n$`));
    expect(closed).toBe(true);
    expect(written).toBeLessThan(50 * 1024 * 1024);
    const store = openSqliteStore(file);
    expect(store.stats().transactions).toBe(0);
    store.close();
  });

  it('error: a Content-Length over the cap is refused before the body is read', async () => {
    esplora.fault = (_req, res, path) => {
      if (path !== history()) return false;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) });
      res.write('[');
      return true;
    };
    const r = await fetchMiner(join(tempDir(), 'declared.db'), '--max-response-mb', '1');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/: the answer is 52428800 bytes, over the limit of 1048576 bytes \(--max-response-mb raises it\); nothing of it was stored\n$/);
  });

  type Json = Record<string, any>;
  /** Serve tx/<txid> as `tamper` rewrites it (prevout values and scripts are not covered by the txid). */
  const tamperTx = (txid: string, tamper: (own: Json) => Json) => {
    esplora.fault = (_req, res, path) => {
      if (path !== `tx/${txid}`) return false;
      sendJson(res, tamper(esplora.txJson(txid)));
      return true;
    };
  };
  const fetchTx = (file: string, txid: string) => ctraceAsync(['--db', file, '--json', 'fetch', 'litecoin-regtest', 'tx', txid, '--esplora-url', esplora.api, '--retries', '0']);
  /** peel2's input claims twice what peel1's output 1 holds; the stated fee is raised to match, so the answer adds up on its own. */
  const doubled = (own: Json) => {
    const real = own.vin[0].prevout.value;
    return { ...own, fee: own.fee + real, vin: [{ ...own.vin[0], prevout: { ...own.vin[0].prevout, value: real * 2 } }, ...own.vin.slice(1)] };
  };

  it('error: a transaction without a fee whose prevout values do not add up is refused: one line, exit 3, nothing stored', async () => {
    tamperTx(sc.txs.payment, (own) => {
      const { fee: _fee, ...rest } = own;
      return { ...rest, vin: own.vin.map((i: Json) => ({ ...i, prevout: { ...i.prevout, value: 1 } })) };
    });
    const file = join(tempDir(), 'nofee.db');
    const r = await fetchTx(file, sc.txs.payment);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^ctrace: esplora .*: GET tx/${sc.txs.payment}: rejected its answer: .* tx ${sc.txs.payment}: its inputs' previous outputs sum to \\d+ less than its outputs \\(no fee stated\\); the values do not add up, nothing of it was stored\\n$`));
    const store = openSqliteStore(file);
    expect(store.stats().transactions).toBe(0);
    store.close();
  });

  it.each([
    ['a value', doubled, /input 0 claims \d+ for [0-9a-f]{64}:1, which holds \d+ in the store; nothing of the batch was stored/],
    ['a script', (own: Json) => ({ ...own, vin: [{ ...own.vin[0], prevout: { ...esplora.txJson(sc.txs.peel1).vout[0], value: own.vin[0].prevout.value } }] }), /input 0 claims [0-9a-f]{64}:1 pays \S+, which the stored transaction does not; nothing of the batch was stored/],
  ])('error: an input claiming %s its stored parent contradicts is refused: one line, exit 3, the store as it was', async (_name, tamper, message) => {
    const file = join(tempDir(), 'claim.db');
    expect((await fetchTx(file, sc.txs.peel1)).code).toBe(0);
    tamperTx(sc.txs.peel2, tamper);
    const r = await fetchTx(file, sc.txs.peel2);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^ctrace: esplora http://127.0.0.1:\\d+/api/: tx ${sc.txs.peel2}: rejected its answer: transaction ${sc.txs.peel2} ${message.source}\\n$`));
    const store = openSqliteStore(file);
    expect(store.getTransaction(chain.name, sc.txs.peel2)).toBeNull();
    // peel1 and the consolidation it spends, fetched before: nothing more.
    expect(store.stats().transactions).toBe(2);
    store.close();
  });

  it('behavior: a claimed value stored before its parent is checked when the parent arrives: corrected, recorded, said in one line; taint reads the real value', async () => {
    const file = join(tempDir(), 'later.db');
    tamperTx(sc.txs.peel2, doubled);
    // Without its parent: --no-resolve-inputs (by default fetch would bring the parent along and check at once).
    expect((await ctraceAsync(['--db', file, 'fetch', 'litecoin-regtest', 'tx', sc.txs.peel2, '--esplora-url', esplora.api, '--no-resolve-inputs'])).code).toBe(0);
    esplora.fault = null;
    const real = esplora.txJson(sc.txs.peel2).vin[0].prevout.value as number;
    const parent = await fetchTx(file, sc.txs.peel1);
    expect(parent.code, parent.stderr).toBe(0);
    expect(parent.stderr).toMatch(new RegExp(`^note: an input value a source claimed was contradicted by the previous transaction and corrected to it \\(kept in input_conflicts; taint uses the corrected values\\): transaction ${sc.txs.peel2} input 0 claimed ${real * 2} for ${sc.txs.peel1}:1, which holds ${real} there\\n$`));
    expect(JSON.parse(parent.stdout).correctedInputs).toEqual([{ txid: sc.txs.peel2, index: 0, prevTxid: sc.txs.peel1, prevVout: 1, claimedValue: String(real * 2), actualValue: String(real) }]);
    const show = JSON.parse((await ctraceAsync(['--db', file, '--json', 'show', 'tx', sc.txs.peel2])).stdout);
    expect(show.inputs[0].value).toBe(String(real));
    expect(BigInt(show.fee)).toBeGreaterThan(0n);
    const store = openSqliteStore(file);
    expect(store.db.prepare('SELECT claimed_value, actual_value FROM input_conflicts').raw().all()).toEqual([[real * 2, real]]);
    // Checked claims are off the list.
    expect(store.db.prepare('SELECT count(*) FROM claimed_inputs WHERE prev_txid = ?').pluck().get(sc.txs.peel1)).toBe(0);
    // What taint reads of peel2 is the real value (taint reads the stored inputs, as streamUtxoTransactions gives them).
    const seen = [...streamUtxoTransactions(store.db, chain.name)].find((t) => t.txid === sc.txs.peel2)!;
    expect(seen.inputs[0].value).toBe(BigInt(real));
    store.close();
  });

  it('error: a block header that does not meet its own bits target is refused (one line, exit 3); real regtest blocks (scrypt, bits 0x207fffff) pass', async () => {
    const file = join(tempDir(), 'pow.db');
    expect((await ctraceAsync(['--db', file, 'fetch', 'litecoin-regtest', 'block', '5', '--esplora-url', esplora.api])).code).toBe(0);
    // A forger's block 6: the real header with a hard target (bits 0x1d00ffff), its id recomputed from its fields so that it hashes right.
    const real = (await (await fetch(`${esplora.api}block/${await (await fetch(`${esplora.api}block-height/6`)).text()}`)).json()) as Json;
    const forged = { ...real, bits: 0x1d00ffff };
    const header = Buffer.alloc(80);
    header.writeInt32LE(forged.version, 0);
    Buffer.from(forged.previousblockhash, 'hex').reverse().copy(header, 4);
    Buffer.from(forged.merkle_root, 'hex').reverse().copy(header, 36);
    header.writeUInt32LE(forged.timestamp, 68);
    header.writeUInt32LE(forged.bits, 72);
    header.writeUInt32LE(forged.nonce, 76);
    forged.id = createHash('sha256').update(createHash('sha256').update(header).digest()).digest().reverse().toString('hex');
    esplora.fault = (_req, res, path) => {
      if (path === 'block-height/6') { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(forged.id); return true; }
      if (path === `block/${forged.id}`) { sendJson(res, forged); return true; }
      return false;
    };
    const r = await ctraceAsync(['--db', file, 'fetch', 'litecoin-regtest', 'block', '6', '--esplora-url', esplora.api, '--retries', '0']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^ctrace: esplora .*: GET block/${forged.id}: rejected its answer: .*block ${forged.id} does not meet its own target \\(bits 0x1d00ffff\\): its proof of work is missing or forged; nothing of it was stored\\n$`));
    const store = openSqliteStore(file);
    expect(store.getBlock(chain.name, 6)).toBeNull();
    expect(store.getBlock(chain.name, 5)).not.toBeNull();
    store.close();
  });

  it('behavior: Ctrl-C while the source hangs (no answer, a 10-minute timeout) stops at once with exit 130; the same command resumes', async () => {
    const file = join(tempDir(), 'hang.db');
    const args = ['--db', file, 'fetch', 'litecoin-regtest', 'tx', sc.txs.peel2, '--esplora-url', esplora.api, '--hops', '2', '--direction', 'in', '--timeout', '600000', '--retries', '3'];
    let child: import('node:child_process').ChildProcess | undefined;
    let hung = 0;
    // peel2 and its parent peel1 are answered and committed; the consolidation (peel1's parent) hangs, and the test presses Ctrl-C once it does.
    esplora.fault = (_req, _res, path) => {
      if (path !== `tx/${sc.txs.consolidation}`) return false;
      if (++hung === 1) child?.kill('SIGINT');
      return true;
    };
    const r = await ctraceAsync(args, { onSpawn: (c) => (child = c) });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/interrupted: everything above is committed; run the same command again to resume\n$/);
    const store = openSqliteStore(file);
    expect(store.getTransaction(chain.name, sc.txs.peel2)).not.toBeNull();
    store.close();
    esplora.fault = null;
    const again = await ctraceAsync(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^resumed from esplora /);
  });

  it('behavior: taint never uses a value only the source vouches for: a transaction with an unchecked input is skipped, and walked once its parents are fetched', async () => {
    const file = join(tempDir(), 'unchecked.db');
    const consolidation = esplora.txJson(sc.txs.consolidation);
    const coinbases = (consolidation.vin as Json[]).map((i) => i.txid as string);
    expect(coinbases).toHaveLength(3);
    const fetchOnly = (txid: string) => ctraceAsync(['--db', file, 'fetch', 'litecoin-regtest', 'tx', txid, '--esplora-url', esplora.api, '--no-resolve-inputs']);
    // The consolidation alone (its three inputs' values are Esplora's word), then the first coinbase it spends.
    expect((await fetchOnly(sc.txs.consolidation)).code).toBe(0);
    expect((await fetchOnly(coinbases[0])).code).toBe(0);
    const trace = async () => JSON.parse((await ctraceAsync(['--db', file, '--json', 'trace', `${coinbases[0]}:0`, '--policy', 'haircut', '--hops', '1', '--as-of', '2026-01-01T00:00:00Z'])).stdout);
    const before = await trace();
    expect(before.skipped).toEqual([{ txid: sc.txs.consolidation, reason: expect.stringMatching(/an input is unresolved \(its value is unknown\)/) }]);
    expect(before.flow.some((f: Json) => f.txid === sc.txs.consolidation)).toBe(false);
    // The other two parents arrive: every value is checked, and the haircut walks through with a third of the coins.
    for (const c of coinbases.slice(1)) expect((await fetchOnly(c)).code).toBe(0);
    const after = await trace();
    expect(after.skipped).toEqual([]);
    const out = after.flow.find((f: Json) => f.txid === sc.txs.consolidation);
    expect(BigInt(out.taint) * 3n).toBeGreaterThanOrEqual(BigInt(out.value) - 3n);
    expect(BigInt(out.taint) * 3n).toBeLessThanOrEqual(BigInt(out.value) + 3n);
  });
});
