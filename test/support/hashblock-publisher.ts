import { Publisher } from 'zeromq';
import { freePort } from './litecoind.js';

/**
 * Bitcoin Core's hashblock notifier, as `-zmqpubhashblock` runs it (src/zmq/zmqpublishnotifier.cpp): a libzmq PUB
 * socket sending, for each block connected, the topic `hashblock`, the 32-byte hash as RPC prints it, and a 4-byte
 * little-endian sequence number. A STAND-IN for the node's own: the Debian litecoind here is built without ZMQ,
 * so the test announces the blocks it mines. The socket is the real libzmq 4.3 (the `zeromq` package) that Core
 * links, so the watch's ZMTP client is tested against the real wire.
 */
export interface HashblockPublisher {
  /** `tcp://127.0.0.1:<port>`. */
  endpoint: string;
  port: number;
  /** Publish these blocks' hashes, as the node does on connecting them. */
  announce(hashes: string[]): Promise<void>;
  /** Lose the next `n` messages (their sequence numbers are used, nothing is sent). */
  drop(n: number): void;
  close(): void;
}

export async function startHashblockPublisher(): Promise<HashblockPublisher> {
  const port = await freePort();
  const endpoint = `tcp://127.0.0.1:${port}`;
  const pub = new Publisher({ linger: 0 });
  await pub.bind(endpoint);
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
    close: () => pub.close(),
  };
}
