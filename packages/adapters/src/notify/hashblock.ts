import type { ZmqEndpoint } from './zmq-endpoint.js';
import { subscribeZmq } from './zmq-subscriber.js';
import { ZmtpError } from './zmtp.js';

/** What wakes a watch: a source's announcements of new blocks, where it offers them. */
export interface BlockAnnouncer {
  /** How the watch follows the tip now: by the source's notifications, or by polling alone. */
  following: 'notifications' | 'polling';
  /** What it follows (`hashblock on tcp://127.0.0.1:28332`), or why it polls. */
  detail: string;
  close(): void;
}

export interface AnnounceBlocksOptions {
  /** A block was announced (its hash), or some may have been missed (null): either way, look at the tip now. */
  onBlock: (hash: string | null) => void;
  /** A line for stderr: notifications lost, back, or missed. */
  onNotice: (message: string) => void;
}

/** Bitcoin Core's hashblock message: the topic, the block hash (32 bytes, as RPC prints it), a 4-byte LE sequence. */
const TOPIC = 'hashblock';
const LIMITS = { maxFrameBytes: 1024, maxParts: 3 };

/**
 * Follow a Core-compatible node's ZMQ `hashblock` notifications (`-zmqpubhashblock`). Resolves once the first
 * connection is up or has failed; either way it keeps reconnecting with backoff until `close()`, with one note
 * when notifications are lost and one when they are back (then `onBlock(null)`: blocks may have come meanwhile).
 * A gap in the sequence numbers is noted (the first of a connection) and wakes the watch too; a malformed message
 * drops the connection.
 * @example const a = await followHashblock(endpoint, { onBlock: () => waker.wake(), onNotice: console.error })
 */
export function followHashblock(endpoint: ZmqEndpoint, o: AnnounceBlocksOptions & { backoff?: { firstMs: number; maxMs: number } }): Promise<BlockAnnouncer> {
  const detail = `hashblock on ${endpoint.text}`;
  let settle: ((a: BlockAnnouncer) => void) | undefined;
  const first = new Promise<BlockAnnouncer>((resolve) => (settle = resolve));
  let up = false;
  let wasUp = false;
  let last: number | undefined;
  let gapNoted = false;
  const sub = subscribeZmq({
    endpoint, topic: TOPIC, limits: LIMITS, backoff: o.backoff, handshakeTimeoutMs: 5000,
    onMessage(parts) {
      if (parts[0].toString('latin1') !== TOPIC) return;
      if (parts.length !== 3 || parts[1].length !== 32 || parts[2].length !== 4) {
        throw new ZmtpError(`the publisher sent a malformed hashblock notification (${parts.map((p) => p.length).join('+')} bytes; 9+32+4 expected)`);
      }
      const seq = parts[2].readUInt32LE(0);
      const step = last === undefined ? 1 : (seq - last) >>> 0;
      if (step !== 1 && !gapNoted) {
        // Once a connection: a publisher that numbers at random must not flood stderr.
        gapNoted = true;
        const what = step > 0 && step < 2 ** 31 ? `missed ${step - 1} block notifications` : 'block notifications out of order';
        o.onNotice(`${what} from ${endpoint.text} (sequence ${seq} after ${last}); looking at the tip`);
      }
      last = seq;
      o.onBlock(parts[1].toString('hex'));
    },
    onUp() {
      last = undefined;
      gapNoted = false;
      if (settle) settle({ following: 'notifications', detail, close: sub.close });
      else if (!up) {
        o.onNotice(`notifications from ${endpoint.text} are ${wasUp ? 'back' : 'up'}: following the tip by them${wasUp ? ' again' : ''}`);
        o.onBlock(null);
      }
      settle = undefined;
      up = true;
      wasUp = true;
    },
    onDown(reason, retryMs) {
      if (settle) settle({ following: 'polling', detail: `no notifications from ${endpoint.text} yet (${reason}); reconnecting with backoff`, close: sub.close });
      else if (up) o.onNotice(`notifications from ${endpoint.text} lost (${reason}); polling until they are back (reconnecting in ${retryMs / 1000} s, backing off)`);
      settle = undefined;
      up = false;
    },
  });
  return first;
}
