import { CtraceError } from '@cryptotrace/core';

/** A ZMQ TCP endpoint to connect to. */
export interface ZmqEndpoint {
  host: string;
  port: number;
  /** `tcp://host:port`, as printed. */
  text: string;
}

const WILDCARDS = new Set(['*', '0.0.0.0', '::', '[::]']);
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$/i;

/**
 * Read `tcp://host:port` (host: a name, IPv4, or [IPv6]).
 * @returns the endpoint, or null when the text is no TCP endpoint
 * @example parseZmqEndpoint('tcp://127.0.0.1:28332') // { host: '127.0.0.1', port: 28332, text: 'tcp://127.0.0.1:28332' }
 */
export function parseZmqEndpoint(text: string): ZmqEndpoint | null {
  const m = /^tcp:\/\/(\[[0-9a-f:.]+\]|[a-z0-9*][a-z0-9.*-]*):(\d{1,5})$/i.exec(text.trim());
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1].replace(/^\[|\]$/g, ''), port, text: `tcp://${m[1]}:${port}` };
}

/**
 * The endpoint given with `--zmq`.
 * @throws CtraceError USAGE when it is no `tcp://host:port` one can connect to
 * @example zmqOption('tcp://10.0.0.5:28332')
 */
export function zmqOption(text: string): ZmqEndpoint {
  const e = parseZmqEndpoint(text);
  if (!e || WILDCARDS.has(e.host)) {
    throw new CtraceError('USAGE', `--zmq ${JSON.stringify(text.slice(0, 100))} is not tcp://host:port: give the address where the node publishes hashblock (its -zmqpubhashblock), as this machine reaches it, or off`);
  }
  return e;
}

/**
 * Where to connect for an endpoint a node reported (`getzmqnotifications`): a wildcard bind (`tcp://0.0.0.0:28332`)
 * is reached at the RPC's host; a node's own loopback is unreachable from another host.
 * @returns the endpoint, or the reason it cannot be used (for the note that says the watch polls)
 * @example reachableEndpoint('tcp://0.0.0.0:28332', 'http://node.lan:8332/') // tcp://node.lan:28332
 */
export function reachableEndpoint(reported: string, rpcUrl: string): ZmqEndpoint | { reason: string } {
  const e = parseZmqEndpoint(reported);
  if (!e) return { reason: `the node publishes hashblock on ${JSON.stringify(reported.slice(0, 100))}, which is no TCP address; give --zmq tcp://host:port` };
  const rpcHost = URL.canParse(rpcUrl) ? new URL(rpcUrl).hostname : '';
  if (WILDCARDS.has(e.host)) {
    const host = rpcHost || '127.0.0.1';
    return { host: host.replace(/^\[|\]$/g, ''), port: e.port, text: `tcp://${host}:${e.port}` };
  }
  if (LOOPBACK.test(e.host) && rpcHost && !LOOPBACK.test(rpcHost)) {
    return { reason: `the node publishes hashblock on its own loopback (${e.text}), which this machine cannot reach; give --zmq tcp://host:port with an address it can` };
  }
  return e;
}
