import { describe, expect, it } from 'vitest';
import { CtraceError } from '@cryptotrace/core';
import { parseZmqEndpoint, reachableEndpoint, zmqOption } from '@cryptotrace/adapters';

describe('parseZmqEndpoint', () => {
  const valid: [string, string, number][] = [
    ['tcp://127.0.0.1:28332', '127.0.0.1', 28332],
    ['tcp://node.lan:28332', 'node.lan', 28332],
    ['tcp://[::1]:28332', '::1', 28332],
    [' tcp://10.0.0.2:1 ', '10.0.0.2', 1],
  ];
  for (const [text, host, port] of valid) it(`default: ${text.trim()}`, () => expect(parseZmqEndpoint(text)).toMatchObject({ host, port }));
  for (const text of ['ipc:///tmp/x', 'tcp://host', 'tcp://host:0', 'tcp://host:65536', 'http://host:80', 'tcp://ho st:1', 'tcp://:28332']) {
    it(`error: ${text} is none`, () => expect(parseZmqEndpoint(text)).toBeNull());
  }
});

describe('zmqOption', () => {
  it('error: a wildcard or no TCP endpoint is a usage error naming the option', () => {
    for (const text of ['tcp://0.0.0.0:28332', 'tcp://*:28332', 'off-ish']) {
      expect(() => zmqOption(text)).toThrow(CtraceError);
      expect(() => zmqOption(text)).toThrow(`--zmq ${JSON.stringify(text)} is not tcp://host:port`);
    }
  });
});

describe('reachableEndpoint', () => {
  it('default: an address the node reports is used as it is', () => {
    expect(reachableEndpoint('tcp://10.0.0.5:28332', 'http://10.0.0.5:8332/')).toEqual({ host: '10.0.0.5', port: 28332, text: 'tcp://10.0.0.5:28332' });
    expect(reachableEndpoint('tcp://127.0.0.1:28332', 'http://localhost:8332/')).toEqual({ host: '127.0.0.1', port: 28332, text: 'tcp://127.0.0.1:28332' });
  });
  it('behavior: a wildcard bind is reached at the RPC\'s host (credentials in the URL play no part)', () => {
    expect(reachableEndpoint('tcp://0.0.0.0:28332', 'http://u:secret@node.lan:8332/')).toEqual({ host: 'node.lan', port: 28332, text: 'tcp://node.lan:28332' });
    expect(reachableEndpoint('tcp://*:28332', 'http://[fd00::2]:8332/')).toEqual({ host: 'fd00::2', port: 28332, text: 'tcp://[fd00::2]:28332' });
  });
  it('error: the node\'s own loopback seen from another host, or no TCP address, is a reason to poll', () => {
    expect(reachableEndpoint('tcp://127.0.0.1:28332', 'http://node.lan:8332/')).toEqual({ reason: 'the node publishes hashblock on its own loopback (tcp://127.0.0.1:28332), which this machine cannot reach; give --zmq tcp://host:port with an address it can' });
    expect(reachableEndpoint('ipc:///run/bitcoind.sock', 'http://127.0.0.1:8332/')).toEqual({ reason: 'the node publishes hashblock on "ipc:///run/bitcoind.sock", which is no TCP address; give --zmq tcp://host:port' });
  });
});
