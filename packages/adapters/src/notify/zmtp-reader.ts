import { GREETING_BYTES, ZmtpError, type ZmtpCommand, checkGreeting, parseCommand } from './zmtp.js';

/** What the peer may send at most: larger frames or longer messages drop the connection before any is buffered. */
export interface FrameReaderLimits {
  /** Bytes of one frame's body (a command or a message part). */
  maxFrameBytes: number;
  /** Parts of one message. */
  maxParts: number;
}

/** What the reader found in the bytes pushed so far. */
export type ZmtpEvent = { kind: 'greeting' } | { kind: 'command'; command: ZmtpCommand } | { kind: 'message'; parts: Buffer[] };

export interface FrameReader {
  /**
   * Feed the bytes received; returns what they complete, in order.
   * @throws ZmtpError on anything the protocol or the limits forbid (the caller drops the connection)
   */
  push(chunk: Buffer): ZmtpEvent[];
}

/**
 * An incremental reader of a ZMTP 3.0 peer: its greeting, then command and message frames. It holds at most one
 * frame's bytes and one message's parts, so a hostile peer cannot make it allocate more than the limits allow,
 * whatever sizes it announces: a frame header is checked before its body is awaited.
 * @example const r = createFrameReader({ maxFrameBytes: 4096, maxParts: 3 }); for (const e of r.push(chunk)) ...
 */
export function createFrameReader(limits: FrameReaderLimits): FrameReader {
  let pending: Buffer = Buffer.alloc(0);
  let greeted = false;
  let parts: Buffer[] = [];

  /** One frame from the front of `pending`, or null when its bytes have not all arrived yet. */
  function nextFrame(): { flags: number; body: Buffer } | null {
    if (pending.length < 2) return null;
    const flags = pending[0];
    if (flags & 0xf8) throw new ZmtpError(`the peer sent a frame with reserved flag bits set (0x${flags.toString(16)})`);
    const long = (flags & 0x02) !== 0;
    const headBytes = long ? 9 : 2;
    if (pending.length < headBytes) return null;
    const size = long ? pending.readBigUInt64BE(1) : BigInt(pending[1]);
    if (size > BigInt(limits.maxFrameBytes)) throw new ZmtpError(`the peer announced a frame of ${size} bytes (at most ${limits.maxFrameBytes} are accepted here)`);
    const end = headBytes + Number(size);
    if (pending.length < end) return null;
    const body = Buffer.from(pending.subarray(headBytes, end));
    pending = pending.subarray(end);
    return { flags, body };
  }

  return {
    push(chunk) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const out: ZmtpEvent[] = [];
      if (!greeted) {
        checkGreeting(pending.subarray(0, GREETING_BYTES));
        if (pending.length < GREETING_BYTES) return out;
        pending = pending.subarray(GREETING_BYTES);
        greeted = true;
        out.push({ kind: 'greeting' });
      }
      for (let f = nextFrame(); f; f = nextFrame()) {
        const more = (f.flags & 0x01) !== 0;
        if (f.flags & 0x04) {
          if (more || parts.length) throw new ZmtpError('the peer sent a command inside a multipart message');
          out.push({ kind: 'command', command: parseCommand(f.body) });
          continue;
        }
        parts.push(f.body);
        if (more && parts.length >= limits.maxParts) throw new ZmtpError(`the peer sent a message of more than ${limits.maxParts} parts`);
        if (!more) {
          out.push({ kind: 'message', parts });
          parts = [];
        }
      }
      // Copy what is left so that the chunk it came from is not kept alive by a small slice.
      if (pending.length && pending.length < chunk.length) pending = Buffer.from(pending);
      return out;
    },
  };
}
