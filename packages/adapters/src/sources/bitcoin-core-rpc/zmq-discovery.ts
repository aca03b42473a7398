import { isObject } from '../../formats/json.js';
import { SourceError } from '../../http/errors.js';
import { type ZmqEndpoint, reachableEndpoint } from '../../notify/zmq-endpoint.js';
import type { CoreRpc } from './rpc.js';

/**
 * Where a Core-compatible node publishes `hashblock`, from its `getzmqnotifications` (Core 0.17 and later), as this
 * machine reaches it (see `reachableEndpoint`).
 * @returns the endpoint, or why there is none to follow (for the line that says the watch polls)
 * @throws SourceError SOURCE_UNREACHABLE when the node does not answer
 * @example const e = await hashblockEndpoint(rpc, 'http://127.0.0.1:8332/'); if (!('reason' in e)) followHashblock(e, o)
 */
export async function hashblockEndpoint(rpc: CoreRpc, rpcUrl: string): Promise<ZmqEndpoint | { reason: string }> {
  let list: unknown;
  try {
    list = await rpc.call('getzmqnotifications');
  } catch (err) {
    if (err instanceof SourceError && err.fault === 'rpc') return { reason: 'the node does not list its ZMQ notifications (no getzmqnotifications); give --zmq tcp://host:port if it publishes hashblock' };
    throw err;
  }
  const entry = Array.isArray(list) ? list.find((e) => isObject(e) && e.type === 'pubhashblock' && typeof e.address === 'string') : undefined;
  if (!entry) return { reason: 'the node publishes no hashblock notifications (start it with -zmqpubhashblock=tcp://127.0.0.1:28332, or give --zmq tcp://host:port)' };
  return reachableEndpoint(String(entry.address), rpcUrl);
}
