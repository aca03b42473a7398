import { describe, expect, it } from 'vitest';
import { type ZmtpEvent, createFrameReader } from '@cryptotrace/adapters';

// What libzmq 4.3.5 (the zeromq 6.8.0 package) sent as a PUB socket to a SUB that greeted it, sent READY and
// subscribed to hashblock, then published one Core hashblock message (hash ab..ab, sequence 5), as captured off
// the wire: its greeting (ZMTP 3.1, NULL), its READY (Socket-Type PUB), then the three-part message.
const LIBZMQ_PUB = Buffer.from(
  'ff00000000000000017f03014e554c4c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004190552454144590b536f636b65742d5479706500000003505542010968617368626c6f636b0120abababababababababababababababababababababababababababababababab000405000000',
  'hex',
);
const GREETING = LIBZMQ_PUB.subarray(0, 64);
const LIMITS = { maxFrameBytes: 1024, maxParts: 3 };

const summary = (events: ZmtpEvent[]) => events.map((e) => (e.kind === 'greeting' ? 'greeting' : e.kind === 'command' ? `command ${e.command.name} ${e.command.data.toString('hex')}` : `message ${e.parts.map((p) => p.toString('hex')).join(' ')}`));
const readAll = (chunks: Buffer[]) => {
  const r = createFrameReader(LIMITS);
  return summary(chunks.flatMap((c) => r.push(c)));
};

describe('createFrameReader', () => {
  const expected = [
    'greeting',
    'command READY 0b536f636b65742d5479706500000003505542',
    `message ${Buffer.from('hashblock').toString('hex')} ${'ab'.repeat(32)} 05000000`,
  ];

  it('default: reads libzmq\'s greeting, READY and a hashblock message in one chunk', () => {
    expect(readAll([LIBZMQ_PUB])).toEqual(expected);
  });

  it('behavior: the same bytes one at a time, and cut at every point into two, read the same', () => {
    expect(readAll([...LIBZMQ_PUB].map((b) => Buffer.from([b])))).toEqual(expected);
    for (let cut = 1; cut < LIBZMQ_PUB.length; cut++) expect(readAll([LIBZMQ_PUB.subarray(0, cut), LIBZMQ_PUB.subarray(cut)])).toEqual(expected);
  });

  it('behavior: a long frame (8-byte size) within the limit is read', () => {
    const head = Buffer.from([0x02, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(readAll([GREETING, head, Buffer.alloc(256, 7)])).toEqual(['greeting', `message ${'07'.repeat(256)}`]);
  });

  // Each invalid case: the bytes after a valid greeting (or instead of it), and the error the reader throws.
  const frameHead = (flags: number, size: bigint) => {
    const b = Buffer.alloc(9);
    b[0] = flags | 0x02;
    b.writeBigUInt64BE(size, 1);
    return b;
  };
  const invalid: { name: string; bytes: Buffer; error: string }[] = [
    { name: 'a greeting whose first byte is not 0xff', bytes: Buffer.from('GET / HTTP/1.1\r\n'), error: "the peer's greeting is not ZMTP (first byte 0x47, not 0xff)" },
    { name: 'a ZMTP 1.0 signature', bytes: Buffer.concat([GREETING.subarray(0, 9), Buffer.from([0x7e])]), error: 'the peer speaks ZMTP 1.0, not 3' },
    { name: 'ZMTP 2', bytes: Buffer.concat([GREETING.subarray(0, 10), Buffer.from([2])]), error: 'the peer speaks ZMTP 2.x, not 3' },
    { name: 'the PLAIN mechanism', bytes: Buffer.concat([GREETING.subarray(0, 12), Buffer.from('PLAIN'.padEnd(52, '\0'))]), error: 'the peer asks for the "PLAIN" security mechanism; only NULL (no security) is spoken here' },
    { name: 'bytes after NULL in the mechanism', bytes: Buffer.concat([GREETING.subarray(0, 12), Buffer.from('NULL\0x'.padEnd(52, '\0'))]), error: "the peer's greeting pads its mechanism name with bytes other than zero" },
    { name: 'a frame of 2^63 bytes', bytes: Buffer.concat([GREETING, frameHead(0, 1n << 63n)]), error: 'the peer announced a frame of 9223372036854775808 bytes (at most 1024 are accepted here)' },
    { name: 'a frame one byte over the limit', bytes: Buffer.concat([GREETING, frameHead(0, 1025n)]), error: 'the peer announced a frame of 1025 bytes (at most 1024 are accepted here)' },
    { name: 'reserved flag bits', bytes: Buffer.concat([GREETING, Buffer.from([0x08, 0])]), error: 'the peer sent a frame with reserved flag bits set (0x8)' },
    { name: 'a fourth part', bytes: Buffer.concat([GREETING, Buffer.from([1, 0, 1, 0, 1, 0, 1, 0])]), error: 'the peer sent a message of more than 3 parts' },
    { name: 'a command with MORE', bytes: Buffer.concat([GREETING, Buffer.from([0x05, 2, 1, 0x41])]), error: 'the peer sent a command inside a multipart message' },
    { name: 'a command between parts', bytes: Buffer.concat([GREETING, Buffer.from([1, 0, 0x04, 2, 1, 0x41])]), error: 'the peer sent a command inside a multipart message' },
    { name: 'a command whose name runs past its frame', bytes: Buffer.concat([GREETING, Buffer.from([0x04, 2, 5, 0x41])]), error: 'the peer sent a command frame without a valid name' },
  ];

  for (const c of invalid) {
    it(`error: ${c.name}`, () => {
      expect(() => readAll([c.bytes])).toThrow(c.error);
      // Fed a byte at a time it fails the same, on the byte that shows it.
      expect(() => readAll([...c.bytes].map((b) => Buffer.from([b])))).toThrow(c.error);
    });
  }
});
