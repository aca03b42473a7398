/**
 * ZMTP 3.0 (rfc.zeromq.org/spec/23), the part a SUB socket with the NULL mechanism needs: the greeting, the READY
 * command, SUBSCRIBE as a message, and a frame reader that validates what the peer sends against fixed bounds.
 * No I/O here: `zmq-subscriber.ts` runs it over node:net.
 */

export const GREETING_BYTES = 64;

const FLAG_MORE = 0x01;
const FLAG_LONG = 0x02;
const FLAG_COMMAND = 0x04;

/** A protocol violation by the peer: the connection is dropped, and the message says what it did. */
export class ZmtpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZmtpError';
  }
}

/** Our greeting: signature, version 3.0, mechanism NULL, as-server 0, filler. */
export function greeting(): Buffer {
  const g = Buffer.alloc(GREETING_BYTES);
  g[0] = 0xff;
  g[9] = 0x7f;
  g[10] = 3;
  g[11] = 0;
  g.write('NULL', 12, 'latin1');
  return g;
}

/**
 * Check the peer's greeting; byte 0 alone is enough to reject a peer that is no ZMTP 3 socket at all.
 * @throws ZmtpError when it is no ZMTP 3 greeting with the NULL mechanism
 */
export function checkGreeting(g: Buffer): void {
  if (g[0] !== 0xff) throw new ZmtpError(`the peer's greeting is not ZMTP (first byte 0x${g[0].toString(16).padStart(2, '0')}, not 0xff)`);
  if (g.length >= 10 && (g[9] & 0x01) !== 1) throw new ZmtpError('the peer speaks ZMTP 1.0, not 3');
  if (g.length < 11) return;
  if (g[10] < 3) throw new ZmtpError(`the peer speaks ZMTP ${g[10]}.x, not 3`);
  if (g.length < GREETING_BYTES) return;
  const mechanism = g.subarray(12, 32);
  const end = mechanism.indexOf(0);
  const name = mechanism.subarray(0, end < 0 ? 20 : end).toString('latin1');
  if (name !== 'NULL') throw new ZmtpError(`the peer asks for the ${JSON.stringify(name.replace(/[^\x20-\x7e]/g, '?'))} security mechanism; only NULL (no security) is spoken here`);
  if (mechanism.subarray(end).some((b) => b !== 0)) throw new ZmtpError("the peer's greeting pads its mechanism name with bytes other than zero");
}

/** One frame on the wire: a command (READY, ERROR, PING) or a part of a message. */
export function frame(body: Buffer, o: { command?: boolean; more?: boolean } = {}): Buffer {
  const flags = (o.command ? FLAG_COMMAND : 0) | (o.more ? FLAG_MORE : 0);
  if (body.length <= 255) return Buffer.concat([Buffer.from([flags, body.length]), body]);
  const head = Buffer.alloc(9);
  head[0] = flags | FLAG_LONG;
  head.writeBigUInt64BE(BigInt(body.length), 1);
  return Buffer.concat([head, body]);
}

/** A command's body: its name, then its data (READY: properties). */
export function commandBody(name: string, data: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([name.length]), Buffer.from(name, 'latin1'), data]);
}

/** READY with the one property a SUB socket must send. */
export function readyCommand(socketType: string): Buffer {
  const name = Buffer.from('Socket-Type', 'latin1');
  const size = Buffer.alloc(4);
  size.writeUInt32BE(socketType.length);
  return frame(commandBody('READY', Buffer.concat([Buffer.from([name.length]), name, size, Buffer.from(socketType, 'latin1')])), { command: true });
}

/** ZMTP 3.0's subscription: a one-part message, 0x01 and the topic prefix. */
export function subscribeMessage(topic: string): Buffer {
  return frame(Buffer.concat([Buffer.from([1]), Buffer.from(topic, 'latin1')]));
}

/** A command the peer sent: its name and data. */
export interface ZmtpCommand {
  name: string;
  data: Buffer;
}

/**
 * Split a command frame's body into its name and data.
 * @throws ZmtpError when the name runs past the frame
 */
export function parseCommand(body: Buffer): ZmtpCommand {
  const n = body[0] ?? 0;
  if (n === 0 || 1 + n > body.length) throw new ZmtpError('the peer sent a command frame without a valid name');
  return { name: body.subarray(1, 1 + n).toString('latin1'), data: body.subarray(1 + n) };
}

/**
 * READY's properties (name, 4-byte length, value), each checked to lie inside the frame.
 * @throws ZmtpError on a property that runs past the frame
 */
export function parseProperties(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (let at = 0; at < data.length;) {
    const n = data[at];
    if (n === 0 || at + 1 + n + 4 > data.length) throw new ZmtpError('the peer sent a READY whose properties run past the frame');
    const name = data.subarray(at + 1, at + 1 + n).toString('latin1');
    const size = data.readUInt32BE(at + 1 + n);
    const start = at + 1 + n + 4;
    if (start + size > data.length) throw new ZmtpError('the peer sent a READY whose properties run past the frame');
    out.set(name.toLowerCase(), data.subarray(start, start + size));
    at = start + size;
  }
  return out;
}
