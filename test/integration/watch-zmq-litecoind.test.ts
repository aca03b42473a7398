import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { type Server as HttpServer, createServer as createHttpServer } from 'node:http';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctraceAsync } from '../support/cli-async.js';
import { tempDir } from '../support/cli.js';
import { type HashblockPublisher, startHashblockPublisher } from '../support/hashblock-publisher.js';
import { type Litecoind, freePort, hasLitecoind, startLitecoind } from '../support/litecoind.js';

// A real litecoind -regtest, and Core's hashblock publisher on a real libzmq PUB socket beside it (a stand-in
// for the node's own, test/support/hashblock-publisher.ts: the Debian litecoind is built without ZMQ, and answers
// getzmqnotifications with "Method not found"). Each block the test mines is announced as Core announces it.
// The watches run with --poll 3600, so that only a notification can wake them within the test's timeout: the
// block mined after a watch went to sleep raises its movement alert only if the notification arrived.
describe.skipIf(!hasLitecoind())('ctrace watch follows the tip by ZMQ hashblock notifications', () => {
  let node: Litecoind;
  let pub: HashblockPublisher;
  let rpcRelay: HttpServer;
  let relayUrl: string;
  const dir = tempDir();
  const listFile = join(dir, 'watch.json');
  const wallet = 'w';
  const addr: Record<string, string> = {};
  let run = 0;
  /** What the RPC relay answers to getzmqnotifications. */
  let zmqList = () => [{ type: 'pubhashblock', address: `tcp://0.0.0.0:${pub.port}`, hwm: 1000 }];

  const mine = async (n = 1) => pub.announce(await node.rpc<string[]>('generatetoaddress', [n, addr.miner]));
  /** Spend one of the watched address's coins (a movement alert) and mine it. */
  const moveWatched = async (): Promise<string> => {
    const coin = (await node.rpc<{ txid: string; vout: number; amount: number }[]>('listunspent', [1, 9999, [addr.watched]], wallet))[0];
    const raw = await node.rpc<string>('createrawtransaction', [[{ txid: coin.txid, vout: coin.vout }], { [addr.other]: Number((coin.amount - 0.001).toFixed(8)) }]);
    const signed = await node.rpc<{ hex: string }>('signrawtransactionwithwallet', [raw], wallet);
    const txid = await node.rpc<string>('sendrawtransaction', [signed.hex]);
    await mine();
    return txid;
  };
  /** A child's stream as lines; `until` resolves with the first line matching, seen or to come. */
  const lines = (stream: NodeJS.ReadableStream) => {
    const seen: string[] = [];
    const waiting: { re: RegExp; resolve: (l: string) => void }[] = [];
    let rest = '';
    stream.on('data', (d: Buffer) => {
      const parts = (rest + String(d)).split('\n');
      rest = parts.pop()!;
      for (const l of parts) {
        seen.push(l);
        for (const w of waiting.filter((x) => x.re.test(l))) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(l);
        }
      }
    });
    const until = (re: RegExp) => new Promise<string>((resolve) => {
      const hit = seen.find((l) => re.test(l));
      if (hit !== undefined) resolve(hit);
      else waiting.push({ re, resolve });
    });
    return { seen, until };
  };
  /**
   * Start a watch from the current tip, wait until it has evaluated that block and gone to sleep (`ready` may do
   * more first), then move the watched coins and wait for their alert; stop the watch with SIGTERM.
   */
  const watchUntilAlert = async (extra: string[], ready: (err: ReturnType<typeof lines>, tip: number) => Promise<unknown> = async () => {}) => {
    const tip = await node.rpc<number>('getblockcount');
    let child!: ChildProcess;
    const done = ctraceAsync(['--db', join(dir, `w${++run}.db`), 'watch', 'litecoin-regtest', '--watchlist', listFile, '--rpc-cookie', node.cookieFile,
      '--from', String(tip), ...extra], { onSpawn: (c) => (child = c) });
    const out = lines(child.stdout!);
    const err = lines(child.stderr!);
    await err.until(new RegExp(`^watch litecoin-regtest: height ${tip},`));
    await ready(err, tip);
    const txid = await moveWatched();
    const alert = JSON.parse(await out.until(new RegExp(`"txid":"${txid}"`)));
    child.kill('SIGTERM');
    const r = await done;
    return { alert, txid, r, stderr: err.seen };
  };

  beforeAll(async () => {
    node = await startLitecoind();
    pub = await startHashblockPublisher();
    // The node's RPC as a ZMQ-enabled Core answers it: getzmqnotifications lists the publisher, bound on all
    // interfaces as operators often do (the one method answered here; everything else goes to litecoind).
    rpcRelay = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', async () => {
        const call = JSON.parse(body) as { id: number; method: string };
        if (call.method === 'getzmqnotifications') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: zmqList(), error: null, id: call.id }));
          return;
        }
        const answer = await fetch(node.url, { method: 'POST', headers: { authorization: String(req.headers.authorization), 'content-type': 'application/json' }, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      });
    });
    await new Promise<void>((r) => rpcRelay.listen(0, '127.0.0.1', r));
    relayUrl = `http://127.0.0.1:${(rpcRelay.address() as { port: number }).port}/`;
    await node.rpc('createwallet', [wallet]);
    for (const k of ['miner', 'watched', 'other']) addr[k] = await node.rpc<string>('getnewaddress', ['', 'bech32'], wallet);
    await mine(101);
    for (let i = 0; i < 8; i++) await node.rpc('sendtoaddress', [addr.watched, 1 + i], wallet);
    await mine();
    writeFileSync(listFile, JSON.stringify({ watch: [{ address: addr.watched, rules: ['movement'] }] }));
  }, 60_000);

  afterAll(async () => {
    rpcRelay?.close();
    pub?.close();
    await node?.stop();
  });

  it('default: the endpoint comes from getzmqnotifications, and a block announced wakes a watch polling hourly', async () => {
    const { alert, txid, r, stderr } = await watchUntilAlert(['--rpc-url', relayUrl, '--poll', '3600']);
    // Bound on 0.0.0.0: reached at the RPC's host.
    expect(stderr).toContain(`watch litecoin-regtest: following the tip by notifications (hashblock on tcp://127.0.0.1:${pub.port}), polling every 3600 s as the fallback`);
    expect(alert).toMatchObject({ rule: 'movement', txid, address: addr.watched });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).not.toMatch(/^note:/m);
  });

  it('behavior: a missed notification (a gap in the sequence) is one note, and the next one still wakes the watch', async () => {
    const { alert, txid, stderr } = await watchUntilAlert(['--rpc-url', node.url, '--poll', '3600', '--zmq', pub.endpoint], async (err, tip) => {
      // One block announced and evaluated first: the watch has a sequence number to compare with.
      await mine();
      await err.until(new RegExp(`^watch litecoin-regtest: height ${tip + 1},`));
      pub.drop(2);
    });
    expect(stderr.filter((l) => l.startsWith('note:'))).toEqual([expect.stringMatching(new RegExp(`^note: missed 2 block notifications from ${pub.endpoint} \\(sequence \\d+ after \\d+\\); looking at the tip$`))]);
    expect(alert).toMatchObject({ rule: 'movement', txid });
  });

  it('behavior: a node that lists no notifications (this litecoind, built without ZMQ) is followed by polling, said once', async () => {
    const { alert, txid, stderr } = await watchUntilAlert(['--rpc-url', node.url, '--poll', '0.5']);
    expect(stderr.filter((l) => /following the tip/.test(l))).toEqual([
      'watch litecoin-regtest: following the tip by polling every 0.5 s (the node does not list its ZMQ notifications (no getzmqnotifications); give --zmq tcp://host:port if it publishes hashblock)',
    ]);
    expect(alert).toMatchObject({ rule: 'movement', txid });
  });

  it('behavior: a node that publishes other notifications but not hashblock is followed by polling, said once', async () => {
    const before = zmqList;
    zmqList = () => [{ type: 'pubrawtx', address: `tcp://0.0.0.0:${pub.port}`, hwm: 1000 }];
    try {
      const { alert, txid, stderr } = await watchUntilAlert(['--rpc-url', relayUrl, '--poll', '0.5']);
      expect(stderr.filter((l) => /following the tip/.test(l))).toEqual([
        'watch litecoin-regtest: following the tip by polling every 0.5 s (the node publishes no hashblock notifications (start it with -zmqpubhashblock=tcp://127.0.0.1:28332, or give --zmq tcp://host:port))',
      ]);
      expect(alert).toMatchObject({ rule: 'movement', txid });
    } finally {
      zmqList = before;
    }
  });

  it('behavior: an unreachable --zmq endpoint is one line saying the watch polls, and polling still catches the block', async () => {
    const dead = await freePort();
    const { alert, txid, stderr } = await watchUntilAlert(['--rpc-url', relayUrl, '--poll', '0.5', '--zmq', `tcp://127.0.0.1:${dead}`]);
    expect(stderr.filter((l) => /following the tip/.test(l))).toEqual([
      `watch litecoin-regtest: following the tip by polling every 0.5 s (no notifications from tcp://127.0.0.1:${dead} yet (connection refused); reconnecting with backoff)`,
    ]);
    expect(alert).toMatchObject({ rule: 'movement', txid });
  });

  it('behavior: a dropped connection is one note, the watch reconnects by itself and is woken by the next block', async () => {
    // A TCP relay in front of the publisher, so that the test can cut the connection the watch holds.
    const relayed = new Set<Socket>();
    const relay: Server = createServer((c) => {
      const up = connect(pub.port, '127.0.0.1');
      c.pipe(up).pipe(c);
      for (const s of [c, up]) {
        relayed.add(s);
        s.on('error', () => {});
        s.on('close', () => relayed.delete(s));
      }
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const zmqRelay = `tcp://127.0.0.1:${(relay.address() as { port: number }).port}`;
    try {
      const { alert, txid, stderr } = await watchUntilAlert(['--rpc-url', node.url, '--poll', '3600', '--zmq', zmqRelay], async (err) => {
        await err.until(/following the tip by notifications/);
        const again = pub.nextSubscription();
        for (const s of relayed) s.destroy();
        await err.until(/are back:/);
        await again;
      });
      expect(stderr.filter((l) => l.startsWith('note:'))).toEqual([
        `note: notifications from ${zmqRelay} lost (the publisher closed the connection); polling until they are back (reconnecting in 1 s, backing off)`,
        `note: notifications from ${zmqRelay} are back: following the tip by them again`,
      ]);
      expect(alert).toMatchObject({ rule: 'movement', txid });
    } finally {
      relay.close();
    }
  });

  it('behavior: --zmq off polls only, and says so', async () => {
    let line = '';
    const r = await ctraceAsync(['--db', join(dir, 'off.db'), 'watch', 'litecoin-regtest', '--watchlist', listFile, '--rpc-url', relayUrl, '--rpc-cookie', node.cookieFile, '--zmq', 'off', '--poll', '0.5'], {
      onSpawn: (c) => lines(c.stderr!).until(/following the tip/).then((l) => {
        line = l;
        c.kill('SIGTERM');
      }),
    });
    expect(r.code, r.stderr).toBe(130);
    expect(line).toBe('watch litecoin-regtest: following the tip by polling every 0.5 s (notifications off)');
  });

  it('error: --zmq that is no tcp://host:port is one line and exit 2', async () => {
    const r = await ctraceAsync(['--db', join(dir, 'bad.db'), 'watch', 'litecoin-regtest', '--watchlist', listFile, '--rpc-url', node.url, '--zmq', 'ipc:///tmp/x']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--zmq "ipc:\/\/\/tmp\/x" is not tcp:\/\/host:port/);
  });
});
