import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '@cryptotrace/adapters';
import { tempDir } from '../support/cli.js';
import { ctraceAsync } from '../support/cli-async.js';
import { type EsploraStandIn, startEsploraStandIn } from '../support/esplora-standin.js';
import { type Litecoind, type Scenario, buildScenario, hasLitecoind, startLitecoind } from '../support/litecoind.js';
import { sendJson } from '../support/source-server.js';

// A hostile Esplora: the STAND-IN (test/support/esplora-standin.ts, a real litecoind chain in Esplora's formats)
// with `fault` answering chosen requests the way a broken or malicious server would. The miner's address has
// 105 coinbases and more: five pages of history.
describe.skipIf(!hasLitecoind())('hostile Esplora: address paging always ends, answers are size-capped', () => {
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
    const store = openSqliteStore(file);
    expect(store.stats().transactions).toBe(25);
    store.close();
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
    const store = openSqliteStore(file);
    expect(store.stats().transactions).toBe(50);
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
});
