import { describe, expect, test } from 'vitest';
import type { AccountTransaction } from '../model/account.js';
import { makeTx } from '../heuristics/cluster/test-tx.js';
import { buildAddressGraph } from './address-graph.js';
import { assignGraphMetrics, graphMetrics, topHubs } from './graph-metrics.js';

const cb = makeTx({ coinbase: true, outs: [['a', 100]] });
const t1 = makeTx({ ins: [['a', 100], ['b', 50]], outs: [['c', 101], ['a', 40]] });
const t2 = makeTx({ ins: [['c', 101]], outs: [['d', 100]] });

describe('buildAddressGraph', () => {
  test('default: value flows split by input share, summing exactly to each output; attributes as exports expect', () => {
    const g = buildAddressGraph([cb, t1, t2]);
    expect(g.getNodeAttributes('a')).toEqual({ kind: 'address', chain: 'bitcoin' });
    const flows = g.mapEdges((_e, a, s, t) => [s, t, a.value, a.txid === t1.txid ? 't1' : a.txid === t2.txid ? 't2' : 'cb']);
    expect(flows).toEqual([['coinbase', 'a', '100', 'cb'], ['a', 'c', '68', 't1'], ['b', 'c', '33', 't1'], ['b', 'a', '13', 't1'], ['c', 'd', '100', 't2']]);
  });
  test('args: clusters as nodes, with size and labels; flows inside a cluster dropped', () => {
    const clusterOf = new Map([['a', 'a'], ['b', 'a'], ['c', 'c'], ['d', 'd']]);
    const g = buildAddressGraph([t1, t2], [], { clusterOf, nodes: 'cluster', labels: new Map([['b', ['exchange: X']]]) });
    expect(g.getNodeAttributes('a')).toEqual({ kind: 'cluster', chain: 'bitcoin', size: 2, labels: ['exchange: X'] });
    expect(g.size).toBe(3);
  });
  test('default: account transfers, internal calls and tokens (asset named)', () => {
    const tx: AccountTransaction = {
      chain: 'ethereum', hash: '0x01', blockNumber: 1, blockHash: '0x00', blockTime: 0, position: 0, nonce: 0, from: '0xA', to: '0xB', value: 10n ** 20n, fee: 1n,
      status: 'success', contractAddress: null, internalTransfers: [{ traceAddress: '0', from: '0xB', to: '0xC', value: 5n, callType: 'call' }],
      tokenTransfers: [{ token: '0xT', from: '0xA', to: '0xD', value: 7n, logIndex: 3 }],
    };
    const g = buildAddressGraph([], [tx]);
    expect(g.mapEdges((_e, a) => a)).toEqual([{ value: '100000000000000000000', txid: '0x01' }, { value: '5', txid: '0x01' }, { value: '7', txid: '0x01', asset: '0xT' }]);
  });
});

describe('graph metrics', () => {
  test('default: degrees, exact weighted degree, PageRank and betweenness on a small graph', () => {
    const g = buildAddressGraph([cb, t1, t2]);
    const m = graphMetrics(g);
    expect(m.get('c')).toMatchObject({ inDegree: 2, outDegree: 1, degree: 3, received: '101', sent: '100', weightedDegree: '201' });
    expect(m.get('c')!.betweenness).toBeGreaterThan(0);
    expect(topHubs(g, 1)[0].node).toBe('d');
    expect(graphMetrics(g, { betweennessMaxNodes: 2 }).get('c')!.betweenness).toBeUndefined();
    assignGraphMetrics(g);
    expect(g.getNodeAttribute('d', 'pagerank' as never)).toBeGreaterThan(0);
  });
});
