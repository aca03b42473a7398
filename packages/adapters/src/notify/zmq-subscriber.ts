import { connect as netConnect } from 'node:net';
import type { ZmqEndpoint } from './zmq-endpoint.js';
import { type FrameReaderLimits, type ZmtpEvent, createFrameReader } from './zmtp-reader.js';
import { ZmtpError, commandBody, frame, greeting, parseProperties, readyCommand, subscribeMessage } from './zmtp.js';

export interface ZmqSubscriberOptions {
  endpoint: ZmqEndpoint;
  /** The topic prefix to subscribe to (`hashblock`). */
  topic: string;
  limits: FrameReaderLimits;
  /** A message of the topic; throw ZmtpError to drop a peer that sent a malformed one. */
  onMessage: (parts: Buffer[]) => void;
  /** The handshake completed and the subscription was sent. */
  onUp: () => void;
  /** The connection failed or was dropped; a reconnect is scheduled `retryMs` from now. */
  onDown: (reason: string, retryMs: number) => void;
  /** The first and the longest wait between attempts (ms); the wait doubles after each failure. */
  backoff?: { firstMs: number; maxMs: number };
  /** Connect and handshake within this many ms, or give up on the attempt. */
  handshakeTimeoutMs?: number;
}

export interface ZmqSubscriber {
  close(): void;
}

/** What may wait to be sent to a peer that does not read (PONGs); past it the peer is dropped. */
const MAX_UNREAD_BYTES = 64 * 1024;

/** A connection that stayed up this long resets the backoff: the next failure is retried soon again. */
const STABLE_MS = 60_000;

/**
 * A ZMTP 3.0 SUB socket over node:net, NULL mechanism, to one PUB endpoint: it connects, greets, sends READY and
 * its subscription, and passes each message to `onMessage`. Any failure (refused, dropped, a protocol violation,
 * a frame or message beyond `limits`) drops the connection and reconnects with exponential backoff until `close()`.
 * @example const sub = subscribeZmq({ endpoint, topic: 'hashblock', limits, onMessage, onUp, onDown })
 */
export function subscribeZmq(o: ZmqSubscriberOptions): ZmqSubscriber {
  const { firstMs, maxMs } = o.backoff ?? { firstMs: 1000, maxMs: 60_000 };
  const timeoutMs = o.handshakeTimeoutMs ?? 10_000;
  let delay = firstMs;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let current: { destroy(): void } | undefined;

  function attempt(): void {
    const reader = createFrameReader(o.limits);
    const socket = netConnect({ host: o.endpoint.host, port: o.endpoint.port });
    current = socket;
    let upSince = 0;
    let over = false;
    // A deadline for the whole handshake, not an idle timeout: a peer that trickles a byte every few seconds would
    // never trip an idle one, and the watch waits for the first handshake before it starts.
    const deadline = setTimeout(() => fail(`no ZMTP handshake within ${timeoutMs / 1000} s`), timeoutMs);
    const fail = (reason: string) => {
      if (over) return;
      over = true;
      clearTimeout(deadline);
      socket.destroy();
      if (closed) return;
      if (upSince && Date.now() - upSince >= STABLE_MS) delay = firstMs;
      o.onDown(reason, delay);
      timer = setTimeout(attempt, delay);
      delay = Math.min(delay * 2, maxMs);
    };
    const handle = (e: ZmtpEvent) => {
      if (e.kind === 'greeting') socket.write(readyCommand('SUB'));
      else if (e.kind === 'message') {
        if (!upSince) throw new ZmtpError('the peer sent a message before its READY');
        o.onMessage(e.parts);
      } else if (e.command.name === 'READY' && !upSince) {
        const type = parseProperties(e.command.data).get('socket-type')?.toString('latin1') ?? '';
        if (type !== 'PUB' && type !== 'XPUB') throw new ZmtpError(`the peer is a ${JSON.stringify(type.replace(/[^\x20-\x7e]/g, '?'))} socket, not a publisher`);
        clearTimeout(deadline);
        socket.write(subscribeMessage(o.topic));
        upSince = Date.now();
        o.onUp();
      } else if (e.command.name === 'ERROR') {
        const reason = e.command.data.subarray(1, 1 + (e.command.data[0] ?? 0)).toString('latin1').replace(/[^\x20-\x7e]/g, '?');
        throw new ZmtpError(`the peer refused the connection (${reason})`);
      } else if (e.command.name === 'PING') {
        // ZMTP 3.1 heartbeats: answer with the ping's context (after its 2-byte TTL), at most 16 bytes; a peer that
        // pings without reading the answers would have them pile up here.
        if (socket.writableLength > MAX_UNREAD_BYTES) throw new ZmtpError('the peer sends PINGs but does not read the answers');
        socket.write(frame(commandBody('PONG', e.command.data.subarray(2, 18)), { command: true }));
      } else if (!upSince) throw new ZmtpError(`the peer sent ${e.command.name.replace(/[^\x20-\x7e]/g, '?')} instead of READY`);
    };
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('connect', () => socket.write(greeting()));
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const e of reader.push(chunk)) if (!over) handle(e);
      } catch (err) {
        fail(err instanceof ZmtpError ? err.message : String(err));
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => fail(socketFault(err)));
    socket.on('close', () => fail('the publisher closed the connection'));
  }

  attempt();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      current?.destroy();
    },
  };
}

function socketFault(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ECONNRESET') return 'connection reset';
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH') return 'the host is unreachable';
  return err.code ?? err.message;
}
