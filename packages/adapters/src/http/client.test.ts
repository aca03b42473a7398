import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError, backoffDelay, createHttpClient, createRateGate, parseRetryAfter, redactUrl } from '@cryptotrace/adapters';
import { type SourceServer, sendJson, startSourceServer } from '../../../../test/support/source-server.js';

// A local HTTP server stands in for a remote source: it is the only way to make a real server misbehave on cue.
let server: SourceServer;
const delays: number[] = [];
const sleep = async (ms: number) => void delays.push(ms);

beforeAll(async () => {
  server = await startSourceServer((_req, res) => sendJson(res, { ok: true }));
});
afterAll(() => server.close());

const client = (extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
  createHttpClient({ source: 'test', baseUrl: `${server.url}/api`, retries: 2, timeoutMs: 300, sleep, ...extra });

describe('createHttpClient', () => {
  it('default: GETs JSON under the base URL, amounts kept exact', async () => {
    server.handle((req, res) => sendJson(res, `{"path":"${req.url}","value":12345678901234567890}`));
    expect(await client().getJson('tx/ab')).toEqual({ path: '/api/tx/ab', value: '12345678901234567890' });
  });

  it('behavior: retries a 500 with backoff, then succeeds', async () => {
    delays.length = 0;
    let n = 0;
    server.handle((_req, res) => (++n < 3 ? sendJson(res, 'oops', 500) : sendJson(res, { n })));
    expect(await client({ backoffMs: 100 }).getJson('x')).toEqual({ n: 3 });
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
  });

  it('behavior: a 429 waits what Retry-After asks', async () => {
    delays.length = 0;
    let n = 0;
    server.handle((_req, res) => (++n === 1 ? sendJson(res, 'slow down', 429, { 'retry-after': '7' }) : sendJson(res, [1])));
    expect(await client().getJson('x')).toEqual([1]);
    expect(delays).toEqual([7000]);
  });

  it('error: 500 after the last retry is one SOURCE_UNREACHABLE naming source and request', async () => {
    server.handle((_req, res) => sendJson(res, 'down', 503));
    const err = await client().getJson('tx/ff').catch((e) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err.code).toBe('SOURCE_UNREACHABLE');
    expect(err.shortMessage).toMatch(/^test http:\/\/127\.0\.0\.1:\d+\/api: GET tx\/ff: HTTP 503: down, after 3 attempts; what was fetched before is kept/);
  });

  it('error: a hang past the timeout', async () => {
    server.handle(() => {});
    const err = await client({ retries: 1 }).getJson('hang').catch((e) => e);
    expect(err.code).toBe('SOURCE_UNREACHABLE');
    expect(err.shortMessage).toMatch(/GET hang: no complete answer within 300 ms, after 2 attempts/);
  });

  it('error: malformed JSON is rejected at once', async () => {
    let n = 0;
    server.handle((_req, res) => { n++; sendJson(res, '{"txid": "ab",'); });
    const err = await client().getJson('bad').catch((e) => e);
    expect(err.code).toBe('SOURCE_INVALID');
    expect(err.shortMessage).toMatch(/GET bad: not valid JSON .*nothing of it was stored/);
    expect(n).toBe(1);
  });

  it('error: a body cut off before its Content-Length', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"txid":"');
      setTimeout(() => res.destroy(), 20);
    });
    const err = await client({ retries: 1 }).getJson('cut').catch((e) => e);
    expect(err.code).toBe('SOURCE_INVALID');
    expect(err.shortMessage).toMatch(/GET cut: the answer was cut off mid-body/);
  });

  it('error: a 404 is NOT_FOUND, not retried', async () => {
    server.handle((_req, res) => sendJson(res, 'Transaction not found', 404));
    const err = await client().getJson('tx/00').catch((e) => e);
    expect(err.code).toBe('NOT_FOUND');
  });

  it('args: answerStatuses returns a JSON error body, but an HTML 500 from a proxy is still a retried failure', async () => {
    server.handle((_req, res) => sendJson(res, '{"result":null,"error":{"code":-5}}', 500));
    expect(await client().postJson('', { method: 'x' }, { answerStatuses: [500] })).toEqual({ result: null, error: { code: -5 } });
    delays.length = 0;
    server.handle((_req, res) => sendJson(res, '<html>Bad Gateway</html>', 502));
    const err = await client().postJson('', { method: 'x' }, { answerStatuses: [502] }).catch((e) => e);
    expect(err.code).toBe('SOURCE_UNREACHABLE');
    expect(delays).toHaveLength(2);
  });

  it('error: a body past maxResponseBytes is refused as it streams in, once, not retried', async () => {
    let n = 0;
    server.handle((_req, res) => {
      n++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`[${'1,'.repeat(5000)}1]`);
    });
    const err = await client({ maxResponseBytes: 1000 }).getJson('big').catch((e) => e);
    expect(err.code).toBe('SOURCE_INVALID');
    expect(err.shortMessage).toMatch(/GET big: the answer is more than the limit of 1000 bytes \(--max-response-mb raises it\); nothing of it was stored$/);
    expect(n).toBe(1);
    server.handle((_req, res) => sendJson(res, [1, 2, 3]));
    let size = 0;
    expect(await client({ maxResponseBytes: 1000 }).getJson('small', { onSize: (b) => (size = b) })).toEqual([1, 2, 3]);
    expect(size).toBe(7);
  });

  it('error: an abort signal ends a hung request and the retry waits at once with INTERRUPTED', async () => {
    server.handle(() => {});
    const controller = new AbortController();
    const pending = client({ timeoutMs: 600_000, retries: 5, signal: controller.signal }).getJson('hang').catch((e) => e);
    while (!server.requests.some((r) => r.url === '/api/hang')) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const err = await pending;
    expect(err.code).toBe('INTERRUPTED');
    expect(err.shortMessage).toMatch(/GET hang: interrupted \(Ctrl-C\)/);
  });

  it('behavior: credentials go as Basic auth and never into messages or the locator', async () => {
    server.handle((req, res) => sendJson(res, `{"auth":"${req.headers.authorization}"}`, 500));
    const base = `http://alice:s3cretPass@127.0.0.1:${server.port}/v3/abcdef0123456789abcdef0123?apikey=KEY123456`;
    const c = createHttpClient({ source: 'rpc', baseUrl: base, retries: 0, sleep });
    expect(c.locator).toBe(`http://***@127.0.0.1:${server.port}/v3/***?apikey=***`);
    const err = await c.postJson('', { method: 'getblockcount', params: [] }).catch((e) => e);
    const b64 = Buffer.from('alice:s3cretPass').toString('base64');
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Basic ${b64}`);
    expect(err.message).not.toContain('s3cretPass');
    expect(err.message).not.toContain(b64);
    expect(err.message).not.toContain('KEY123456');
    expect(err.message).toContain('POST getblockcount []');
  });
});

describe('rate and redaction helpers', () => {
  it('default: redactUrl keeps txids in paths and masks keys', () => {
    expect(redactUrl('https://u:p@x.io/api?module=account&apikey=ZZZ')).toBe('https://***@x.io/api?module=account&apikey=***');
    expect(redactUrl(`https://x.io/tx/${'ab'.repeat(32)}`)).toBe(`https://x.io/tx/${'ab'.repeat(32)}`);
    expect(redactUrl('https://eth-mainnet.g.alchemy.com/v2/Ab3dEf9hIjKlMnOpQrStUv')).toBe('https://eth-mainnet.g.alchemy.com/v2/***');
  });

  it('default: the rate gate spaces calls 1/rps apart', async () => {
    let t = 0;
    const waits: number[] = [];
    const gate = createRateGate(4, async (ms) => void waits.push(ms), () => t);
    await gate(); await gate(); await gate();
    expect(waits).toEqual([250, 500]);
  });

  it('default: backoff doubles with jitter in [half, full]; Retry-After as seconds or a date', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(400);
    expect(backoffDelay(20, 100, 1000, () => 1)).toBe(1000);
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter(null)).toBeNull();
  });
});
