import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Publisher } from 'zeromq';
import { createBlockWaker, followHashblock, openSqliteStore, parseZmqEndpoint, runWatch } from '../../../packages/adapters/dist/index.js';
import { getChain } from '../../../packages/core/dist/index.js';

const hashOf = (h: number) => createHash('sha256').update(`block ${h}`).digest('hex');

/**
 * How long a new block waits before the watch looks at it: `notify` wakes it with Core's hashblock message from a
 * libzmq PUB socket (the `zeromq` package, in this process) through the ZMTP subscriber and the waker, `poll` waits
 * for its next look (every `pollSeconds`). The blocks are empty (the per-block work is the watch case's) and come at
 * offsets spread evenly over the poll interval; the lag is from the block's arrival at the source to the watch's
 * progress line for it.
 */
export async function watchWakeCase(params: { mode: 'notify' | 'poll'; blocks: number; pollSeconds: number }): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ctrace-bench-'));
  const store = openSqliteStore(join(dir, 'wake.db'), { create: true });
  const pub = new Publisher({ linger: 0 });
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  await pub.bind(`tcp://127.0.0.1:${port}`);
  const waker = createBlockWaker();
  const announcer = params.mode === 'notify' ? await followHashblock(parseZmqEndpoint(`tcp://127.0.0.1:${port}`)!, { onBlock: () => waker.wake(), onNotice: (m) => console.error(m) }) : null;
  if (announcer && announcer.following !== 'notifications') throw new Error(`no notifications: ${announcer.detail}`);
  try {
    const chain = getChain('bitcoin');
    let tip = 0;
    const header = (h: number) => ({ chain: chain.name, hash: hashOf(h), height: h, time: 1_700_000_000 + h, prevHash: h ? hashOf(h - 1) : '0'.repeat(64), merkleRoot: '0'.repeat(64), version: 1, bits: 0, nonce: 0, txCount: 0 });
    const source = {
      chain, kind: 'memory', locator: 'memory', format: 'raw-block', capabilities: { addressHistory: false, spenders: false },
      async getTransaction(): Promise<never> {
        throw new Error('not in the bench source');
      },
      getBlock: async (h: string | number) => ({ blocks: [header(Number(h))], utxoTransactions: [] }),
      tipHeight: async () => tip,
    };
    const arrived = new Map<number, number>();
    const lags: number[] = [];
    let seen: (() => void) | undefined;
    let stop = false;
    const watching = runWatch(store, source, {
      chain: chain.name, entries: [], from: 1, pollSeconds: params.pollSeconds, sleep: waker.sleep, shouldStop: () => stop,
      onProgress: (p) => {
        lags.push(performance.now() - arrived.get(p.height)!);
        seen?.();
      },
    });
    const t0 = performance.now();
    for (let k = 1; k <= params.blocks; k++) {
      // Arrivals spread over the poll interval (the golden ratio's multiples, mod 1), the same in both modes.
      await new Promise((r) => setTimeout(r, ((k * 0.618034) % 1) * params.pollSeconds * 1000));
      const done = new Promise<void>((r) => (seen = r));
      tip = k;
      arrived.set(k, performance.now());
      if (announcer) {
        const seq = Buffer.alloc(4);
        seq.writeUInt32LE(k);
        await pub.send(['hashblock', Buffer.from(hashOf(k), 'hex'), seq]);
      }
      await done;
    }
    const seconds = (performance.now() - t0) / 1000;
    stop = true;
    await watching;
    lags.sort((a, b) => a - b);
    const pick = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))];
    return { seconds, blocks: lags.length, lagMedianMs: pick(0.5), lagP90Ms: pick(0.9), lagMaxMs: lags[lags.length - 1] };
  } finally {
    announcer?.close();
    pub.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
