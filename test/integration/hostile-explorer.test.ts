import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { ctraceAsync } from '../support/cli-async.js';
import { type SourceServer, sendJson, startSourceServer } from '../support/source-server.js';

// A hostile Etherscan-compatible API on loopback: it echoes the request it got (query string and all) in its
// error answers, as real explorers do. Keys written inside --explorer-api-url must never be printed.
describe('hostile explorer API: secrets inside the URL stay secret', () => {
  let server: SourceServer;
  beforeAll(async () => {
    server = await startSourceServer((req, res) => sendJson(res, { status: '0', message: 'NOTOK', result: `Invalid request ${req.url}` }));
  });
  afterAll(() => server.close());

  it.each(['apikey', 'api_key', 'key', 'token', 'secret', 'password', 'access_token'])('error: a %s in the query, echoed by the server, is masked in the one line', async (name) => {
    const secret = `Zq${name.length}SecretValue8842`;
    const url = `${server.url}/api?${name}=${secret}&chainid=1`;
    const r = await ctraceAsync(['--db', join(tempDir(), 'x.db'), 'fetch', 'ethereum', 'address', '0x000000000000000000000000000000000000dEaD', '--explorer-api-url', url, '--retries', '0']);
    expect(server.requests.at(-1)?.url).toContain(secret);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBe(70);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^ctrace: explorer-api /);
    expect(r.stderr).toContain('***');
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
