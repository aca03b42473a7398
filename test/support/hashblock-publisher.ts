import { XPublisher } from 'zeromq';
import { freePort } from './litecoind.js';

/**
 * Bitcoin Core's hashblock notifier, as `-zmqpubhashblock` runs it (src/zmq/zmqpublishnotifier.cpp): a libzmq
 * socket sending, for each block connected, the topic `hashblock`, the 32-byte hash as RPC prints it, and a 4-byte
 * little-endian sequence number. A STAND-IN for the node's own: the Debian litecoind here is built without ZMQ,
 * so the test announces the blocks it mines. The socket is the real libzmq 4.3 (the `zeromq` package) that Core
 * links, so the watch's ZMTP client is tested against the real wire. It is an XPUB (a PUB that shows the
 * subscriptions it receives) rather than Core's PUB, so that a test can wait until a subscriber that connected
 * again is registered: libzmq attaches a new subscriber on the publishing side's next socket call, and a message
 * sent before that is not delivered to it, which for a real node is the watch's fallback to polling.
 */
export interface HashblockPublisher {
  /** `tcp://127.0.0.1:<port>`. */
  endpoint: string;
  port: number;
  /** Publish these blocks' hashes, as the node does on connecting them. */
  announce(hashes: string[]): Promise<void>;
  /** Lose the next `n` messages (their sequence numbers are used, nothing is sent). */
  drop(n: number): void;
  /** Resolves at the next subscription to hashblock the publisher registers. */
  nextSubscription(): Promise<void>;
  close(): void;
}

export async function startHashblockPublisher(): Promise<HashblockPublisher> {
  const port = await freePort();
  const endpoint = `tcp://127.0.0.1:${port}`;
  const pub = new XPublisher({ linger: 0 });
  pub.verbosity = 'allSubs';
  await pub.bind(endpoint);
  let waiting: (() => void)[] = [];
  void (async () => {
    try {
      for await (const [sub] of pub) {
        if (sub[0] === 1 && sub.subarray(1).toString() === 'hashblock') for (const w of waiting.splice(0)) w();
      }
    } catch {
      // closed
    }
  })();
  let seq = 0;
  return {
    endpoint,
    port,
    async announce(hashes) {
      for (const h of hashes) {
        const s = Buffer.alloc(4);
        s.writeUInt32LE(seq++);
        await pub.send(['hashblock', Buffer.from(h, 'hex'), s]);
      }
    },
    drop(n) {
      seq += n;
    },
    nextSubscription: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => pub.close(),
  };
}
