import { spawn } from 'node:child_process';
import { createHttpClient } from '../../../packages/adapters/dist/index.js';
import { timed } from '../measure.js';

// A JSON server that answers every request after `delay` ms, in its own process so that it costs the client nothing.
const SERVER = `
const http = require('node:http');
const delay = Number(process.argv[1]);
const body = JSON.stringify({ txid: 'ab'.repeat(32), vin: [], vout: [{ value: 1 }] });
const server = http.createServer((req, res) => setTimeout(() => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}, delay));
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startServer(delayMs: number): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['-e', SERVER, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

/**
 * `requests` GETs against a local server that adds `latencyMs` to every answer, through createHttpClient (p-limit,
 * retries, JSON parsing) or through bare fetch with the same number in flight. The ideal is concurrency / latency.
 */
export async function fetchCase(params: { which: 'client' | 'bare'; requests: number; concurrency: number; latencyMs: number }): Promise<Record<string, unknown>> {
  const server = await startServer(params.latencyMs);
  try {
    let get: (path: string) => Promise<unknown>;
    if (params.which === 'client') {
      const client = createHttpClient({ source: 'bench', baseUrl: server.url, concurrency: params.concurrency, retries: 0 });
      get = (p) => client.getJson(p);
    } else {
      get = async (p) => (await fetch(new URL(p, server.url))).json();
    }
    const run = async (n: number) => {
      if (params.which === 'client') {
        await Promise.all(Array.from({ length: n }, (_, k) => get(`tx/${k}`)));
        return;
      }
      let next = 0;
      const worker = async () => {
        while (next < n) await get(`tx/${next++}`);
      };
      await Promise.all(Array.from({ length: params.concurrency }, worker));
    };
    await run(params.concurrency * 2); // warm the connection pool
    const { seconds, cpuSeconds } = await timed(() => run(params.requests));
    const ideal = params.concurrency / (params.latencyMs / 1000);
    return { seconds, cpuSeconds, requests: params.requests, concurrency: params.concurrency, latencyMs: params.latencyMs, rps: params.requests / seconds, idealRps: ideal };
  } finally {
    server.stop();
  }
}
