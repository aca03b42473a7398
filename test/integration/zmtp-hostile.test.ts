import { type Server, type Socket, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type BlockAnnouncer, followHashblock, parseZmqEndpoint } from '@cryptotrace/adapters';

// A hostile ZMQ publisher: a loopback TCP server in the test that speaks just enough ZMTP 3.0, byte by byte as
// written here, to get past the parts of the handshake it does not attack. The subscriber must drop it with a
// note, never buffer what it announces, and keep reconnecting (with a 20 ms backoff here).
const GREETING = Buffer.concat([Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 0]), Buffer.from('NULL'.padEnd(20, '\0')), Buffer.alloc(32)]);
const command = (name: string, data: Buffer) => {
  const body = Buffer.concat([Buffer.from([name.length]), Buffer.from(name), data]);
  return Buffer.concat([Buffer.from([0x04, body.length]), body]);
};
const ready = (type: string) => {
  const size = Buffer.alloc(4);
  size.writeUInt32BE(type.length);
  return command('READY', Buffer.concat([Buffer.from([11]), Buffer.from('Socket-Type'), size, Buffer.from(type)]));
};
const part = (body: Buffer | string, more: boolean) => Buffer.concat([Buffer.from([more ? 1 : 0, Buffer.from(body).length]), Buffer.from(body)]);
const seq = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const HASH = 'ab'.repeat(32);

interface Peer { server: Server; connections: number; closedByClient: Promise<void>; received: Buffer[] }

/** Serve `script` to each connection; `closedByClient` resolves when the subscriber hangs up the first one. */
async function hostilePeer(script: (s: Socket, n: number) => void): Promise<Peer> {
  let hungUp!: () => void;
  const peer: Peer = { server: createServer(), connections: 0, closedByClient: new Promise((r) => (hungUp = r)), received: [] };
  peer.server.on('connection', (s) => {
    const n = ++peer.connections;
    s.on('data', (d) => n === 1 && peer.received.push(d));
    s.on('error', () => {});
    s.on('end', () => n === 1 && hungUp());
    s.on('close', () => n === 1 && hungUp());
    script(s, n);
  });
  await new Promise<void>((r) => peer.server.listen(0, '127.0.0.1', r));
  return peer;
}

const open: { peer: Peer; announcer?: BlockAnnouncer }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    o.announcer?.close();
    o.peer.server.close();
  }
});

async function follow(peer: Peer) {
  const notes: string[] = [];
  const blocks: (string | null)[] = [];
  const endpoint = parseZmqEndpoint(`tcp://127.0.0.1:${(peer.server.address() as { port: number }).port}`)!;
  const slot: { peer: Peer; announcer?: BlockAnnouncer } = { peer };
  open.push(slot);
  const noted = (re: RegExp) => new Promise<string>((resolve) => {
    const t = setInterval(() => {
      const hit = notes.find((n) => re.test(n));
      if (hit) {
        clearInterval(t);
        resolve(hit);
      }
    }, 10);
  });
  slot.announcer = await followHashblock(endpoint, { onBlock: (h) => blocks.push(h), onNotice: (m) => notes.push(m), backoff: { firstMs: 20, maxMs: 40 } });
  return { announcer: slot.announcer, notes, blocks, noted, endpoint };
}

describe('the ZMTP subscriber against a hostile publisher', () => {
  it('error: a greeting that is no ZMTP greeting is rejected on its first byte, and the subscriber reconnects', async () => {
    const peer = await hostilePeer((s) => s.write('HTTP/1.1 400 Bad Request\r\n\r\n'));
    const { announcer } = await follow(peer);
    expect(announcer).toMatchObject({ following: 'polling', detail: expect.stringContaining("(the peer's greeting is not ZMTP (first byte 0x48, not 0xff)); reconnecting with backoff") });
    await peer.closedByClient;
    while (peer.connections < 3) await new Promise((r) => setTimeout(r, 10));
  });

  it('error: a greeting asking for another security mechanism is rejected', async () => {
    const curve = Buffer.from(GREETING);
    curve.write('CURVE'.padEnd(20, '\0'), 12, 'latin1');
    const peer = await hostilePeer((s) => s.write(curve));
    const { announcer } = await follow(peer);
    expect(announcer.detail).toContain('(the peer asks for the "CURVE" security mechanism; only NULL (no security) is spoken here)');
  });

  it('error: a peer that is no publisher is rejected after its READY', async () => {
    const peer = await hostilePeer((s) => s.write(Buffer.concat([GREETING, ready('REQ')])));
    const { announcer } = await follow(peer);
    expect(announcer.detail).toContain('(the peer is a "REQ" socket, not a publisher)');
  });

  it('error: a frame announced as 2^40 bytes drops the connection on its header, before any of its body is sent', async () => {
    const header = Buffer.alloc(9);
    header[0] = 0x02;
    header.writeBigUInt64BE(1n << 40n, 1);
    const peer = await hostilePeer((s, n) => {
      s.write(Buffer.concat([GREETING, ready('PUB')]));
      if (n === 1) setTimeout(() => s.write(header), 50);
    });
    const { announcer, noted, endpoint } = await follow(peer);
    expect(announcer.following).toBe('notifications');
    expect(await noted(/lost/)).toBe(`notifications from ${endpoint.text} lost (the peer announced a frame of 1099511627776 bytes (at most 1024 are accepted here)); polling until they are back (reconnecting in 0.02 s, backing off)`);
    await peer.closedByClient;
    // What the subscriber had sent: its greeting, its READY as a SUB, and its subscription to hashblock.
    const sent = Buffer.concat(peer.received);
    expect([sent[0], sent[9], sent[10], sent.subarray(12, 32).toString('latin1')]).toEqual([0xff, 0x7f, 3, 'NULL'.padEnd(20, '\0')]);
    expect(sent.includes(Buffer.from('Socket-Type\0\0\0\x03SUB'))).toBe(true);
    expect(sent.subarray(-12)).toEqual(Buffer.from('\x00\x0a\x01hashblock'));
    expect(await noted(/are back:/)).toBe(`notifications from ${endpoint.text} are back: following the tip by them again`);
  });

  it('error: an endless multipart message is dropped at its fourth part (libzmq would buffer it all)', async () => {
    let written = 0;
    const peer = await hostilePeer((s, n) => {
      s.write(Buffer.concat([GREETING, ready('PUB')]));
      if (n !== 1) return;
      const pump = () => {
        while (!s.destroyed && s.write(part(Buffer.alloc(200), true))) written++;
      };
      s.on('drain', pump);
      setTimeout(() => {
        s.write(part('hashblock', true));
        pump();
      }, 50);
    });
    const { noted } = await follow(peer);
    expect(await noted(/lost/)).toMatch(/lost \(the peer sent a message of more than 3 parts\)/);
    await peer.closedByClient;
    expect(written).toBeGreaterThan(2);
  });

  it('behavior: a well-formed notification is a block; a malformed one drops the peer; a command inside a message too', async () => {
    const peer = await hostilePeer((s, n) => {
      s.write(Buffer.concat([GREETING, ready('PUB')]));
      const bodies = [
        Buffer.concat([part('hashblock', true), part(Buffer.from(HASH, 'hex'), true), part(seq(7), false), part('hashblock', true), part(Buffer.alloc(31), true), part(seq(8), false)]),
        Buffer.concat([part('hashblock', true), command('PING', Buffer.from([0, 10]))]),
      ];
      if (n <= bodies.length) setTimeout(() => s.write(bodies[n - 1]), 30);
    });
    const { noted, blocks } = await follow(peer);
    expect(await noted(/malformed/)).toMatch(/lost \(the publisher sent a malformed hashblock notification \(9\+31\+4 bytes; 9\+32\+4 expected\)\)/);
    expect(await noted(/inside/)).toMatch(/lost \(the peer sent a command inside a multipart message\)/);
    // The first connection's block, then one wake per reconnection (blocks may have come meanwhile).
    expect(blocks[0]).toBe(HASH);
    expect(blocks.slice(1).every((b) => b === null)).toBe(true);
  });

  it('behavior: a sequence number repeated or going back is noted as out of order', async () => {
    const message = (n: number) => Buffer.concat([part('hashblock', true), part(Buffer.from(HASH, 'hex'), true), part(seq(n), false)]);
    const peer = await hostilePeer((s) => {
      s.write(Buffer.concat([GREETING, ready('PUB')]));
      setTimeout(() => s.write(Buffer.concat([7, 7].map(message))), 30);
    });
    const { notes, blocks, endpoint } = await follow(peer);
    while (blocks.length < 2) await new Promise((r) => setTimeout(r, 10));
    expect(notes).toEqual([`block notifications out of order from ${endpoint.text} (sequence 7 after 7); looking at the tip`]);
  });

  it('behavior: sequence numbers out of order are one note for the connection, not one a message', async () => {
    const message = (n: number) => Buffer.concat([part('hashblock', true), part(Buffer.from(HASH, 'hex'), true), part(seq(n), false)]);
    const peer = await hostilePeer((s) => {
      s.write(Buffer.concat([GREETING, ready('PUB')]));
      setTimeout(() => s.write(Buffer.concat([1, 5, 2, 9, 3, 4].map(message))), 30);
    });
    const { notes, blocks, endpoint } = await follow(peer);
    while (blocks.length < 6) await new Promise((r) => setTimeout(r, 10));
    expect(notes).toEqual([`missed 3 block notifications from ${endpoint.text} (sequence 5 after 1); looking at the tip`]);
  });

  it('behavior: a ZMTP 3.1 PING is answered with a PONG carrying its context', async () => {
    const peer = await hostilePeer((s) => {
      s.write(Buffer.concat([GREETING, ready('PUB')]));
      setTimeout(() => s.write(command('PING', Buffer.from([0, 10, 0x61, 0x62, 0x63]))), 30);
    });
    await follow(peer);
    const pong = Buffer.concat([Buffer.from([0x04, 8, 4]), Buffer.from('PONGabc')]);
    while (!Buffer.concat(peer.received).includes(pong)) await new Promise((r) => setTimeout(r, 10));
  });

  it('error: a peer that floods PINGs without reading the PONGs is dropped before they pile up', async () => {
    const ping = command('PING', Buffer.from([0, 10, ...Buffer.from('x'.repeat(16))]));
    const peer = await hostilePeer((s, n) => {
      s.write(Buffer.concat([GREETING, ready('PUB')]));
      if (n !== 1) return;
      // Reads nothing from now on: what the subscriber sends stays in its own buffers.
      setTimeout(() => {
        s.pause();
        const pump = () => {
          while (!s.destroyed && s.write(Buffer.concat(Array.from({ length: 100 }, () => ping))));
        };
        s.on('drain', pump);
        pump();
      }, 30);
    });
    const { noted } = await follow(peer);
    expect(await noted(/lost/)).toMatch(/lost \(the peer sends PINGs but does not read the answers\)/);
  });
});
