import { type Chain, CtraceError, type UtxoBlockHeader, type UtxoTransaction, utxoNetwork } from '@cryptotrace/core';
import { checkBlockHeader } from '../../bitcoin/pow.js';
import { decodeCoreBlock, decodeCoreTx } from '../../formats/bitcoin-core-json.js';
import { coinsToBase, isObject } from '../../formats/json.js';
import { SourceError, asSourceInvalid } from '../../http/errors.js';
import type { ChainSource, SourceRecords } from '../source.js';
import { followHashblock } from '../../notify/hashblock.js';
import { type CoreRpc, type CoreRpcOptions, createCoreRpc } from './rpc.js';
import { hashblockEndpoint } from './zmq-discovery.js';

export interface BitcoinCoreRpcSourceOptions extends CoreRpcOptions {
  /** A Bitcoin-family chain of core's registry: `bitcoin`, `litecoin`, `litecoin-regtest`, ... */
  chain: Chain;
}

/**
 * A ChainSource on a Bitcoin Core-compatible node's JSON-RPC (Bitcoin Core, Litecoin Core, ...): blocks with
 * `getblock` verbosity 3 where the node has it (2 otherwise), transactions with `getrawtransaction` verbose
 * (needs `-txindex` for transactions outside the wallet and mempool). The node's genesis block is checked
 * against the chain's on first use. Every answer is checked: the txid or block hash asked for, the hex against
 * the txid, the merkle root, each output's value against the hex. No address index, no spenders.
 * @throws SourceError SOURCE_UNREACHABLE, SOURCE_INVALID, NOT_FOUND; CtraceError USAGE on a chain mismatch
 * @example const src = createBitcoinCoreRpcSource({ chain: getChain('litecoin-regtest'), url, cookieFile })
 */
export function createBitcoinCoreRpcSource(options: BitcoinCoreRpcSourceOptions): ChainSource {
  const { chain } = options;
  const network = utxoNetwork(chain);
  const rpc = createCoreRpc(options);
  const name = `bitcoin-core-rpc ${rpc.locator}`;
  const headers = new Map<string, UtxoBlockHeader>();
  let checked: Promise<void> | undefined;

  const ready = () => (checked ??= rpc.call<string>('getblockhash', [0]).then((genesis) => {
    if (genesis !== network.genesisHash) {
      throw new CtraceError('USAGE', `${name} is not a ${chain.name} node (its genesis block is ${genesis}): pick the chain the node runs`);
    }
  }));

  async function header(hash: string): Promise<UtxoBlockHeader> {
    const known = headers.get(hash);
    if (known) return known;
    const h = await rpc.call<Record<string, unknown>>('getblockheader', [hash, true]);
    if (!isObject(h) || h.hash !== hash) throw invalid(`getblockheader ${hash}`, `answered with block ${String(isObject(h) ? h.hash : h)}`);
    const out: UtxoBlockHeader = {
      chain: chain.name, hash, height: Number(h.height), time: Number(h.time), prevHash: String(h.previousblockhash ?? '0'.repeat(64)),
      merkleRoot: String(h.merkleroot), version: Number(h.version ?? 0), bits: Number.parseInt(String(h.bits ?? '0'), 16), nonce: Number(h.nonce ?? 0), txCount: Number(h.nTx ?? 0),
    };
    try {
      checkBlockHeader(out, chain, `${name} getblockheader`);
    } catch (err) {
      throw asSourceInvalid(err, name, `getblockheader ${hash}`);
    }
    headers.set(hash, out);
    return out;
  }

  const invalid = (request: string, what: string) => new SourceError('SOURCE_INVALID', 'inconsistent', name, request, `${what}; nothing of it was stored`);

  return {
    chain,
    kind: 'bitcoin-core-rpc',
    locator: rpc.locator,
    format: 'core-rpc-json',
    capabilities: { addressHistory: false, spenders: false },
    async getTransaction(txid: string): Promise<SourceRecords> {
      await ready();
      const request = `getrawtransaction ${txid}`;
      const json = await rpc.call<Record<string, unknown>>('getrawtransaction', [txid, true]);
      if (!isObject(json) || json.txid !== txid) throw invalid(request, `answered with transaction ${String(isObject(json) ? json.txid : json)}, not ${txid}`);
      const blockHash = typeof json.blockhash === 'string' ? json.blockhash : null;
      // A node without getblockheader (some forks, recordings) still gives the block hash and time.
      const block = blockHash === null ? null : await header(blockHash).catch((err) => {
        if (err instanceof SourceError && err.fault === 'rpc') return null;
        throw err;
      });
      const ref = block ? { hash: block.hash, height: block.height, time: block.time } : blockHash ? { hash: blockHash, height: null, time: Number(json.blocktime ?? json.time ?? 0) } : null;
      try {
        const tx = decodeCoreTx(json, chain, name, { chain: chain.name, block: ref, position: null });
        checkValues(json, tx, request);
        return { blocks: block ? [block] : [], utxoTransactions: [tx] };
      } catch (err) {
        throw asSourceInvalid(err, name, request);
      }
    },
    async getBlock(hashOrHeight: string | number): Promise<SourceRecords> {
      await ready();
      const hash = typeof hashOrHeight === 'number' ? await rpc.call<string>('getblockhash', [hashOrHeight]) : hashOrHeight;
      const request = `getblock ${hash}`;
      const json = await rpc.call<Record<string, unknown>>('getblock', [hash, 3]).catch((err) => {
        // Nodes before Core 23 refuse verbosity 3 with "invalid parameter" on some forks; 2 is enough.
        if (err instanceof SourceError && err.fault === 'rpc') return rpc.call<Record<string, unknown>>('getblock', [hash, 2]);
        throw err;
      });
      if (!isObject(json) || json.hash !== hash) throw invalid(request, `answered with block ${String(isObject(json) ? json.hash : json)}, not ${hash}`);
      if (typeof hashOrHeight === 'number' && json.height !== hashOrHeight) throw invalid(request, `block is at height ${String(json.height)}, not ${hashOrHeight}`);
      try {
        const block = decodeCoreBlock(json, chain, name);
        (json.tx as Record<string, unknown>[]).forEach((t, k) => checkValues(t, block.transactions[k], `${request} tx ${k}`));
        headers.set(hash, block.header);
        return { blocks: [block.header], utxoTransactions: block.transactions };
      } catch (err) {
        throw asSourceInvalid(err, name, request);
      }
    },
    tipHeight: async () => {
      await ready();
      return Number(await rpc.call<number>('getblockcount'));
    },
    async announceBlocks(o) {
      const endpoint = o.endpoint ?? (await hashblockEndpoint(rpc, options.url));
      if ('reason' in endpoint) return { following: 'polling', detail: endpoint.reason, close: () => {} };
      return followHashblock(endpoint, o);
    },
  };

  /** The values Core prints beside the hex must be the hex's; a verbosity-3 `fee` must be inputs minus outputs. */
  function checkValues(json: Record<string, unknown>, tx: UtxoTransaction, request: string): void {
    const vout = json.vout as Record<string, unknown>[];
    if (vout.length !== tx.outputs.length) throw invalid(request, `lists ${vout.length} outputs but its hex has ${tx.outputs.length}`);
    vout.forEach((o, k) => {
      const stated = coinsToBase(o.value, chain.decimals, request);
      if (stated !== tx.outputs[k].value) throw invalid(request, `output ${k} is stated as ${stated} but its hex says ${tx.outputs[k].value}; the values do not add up`);
    });
    if (json.fee !== undefined && tx.inputs.every((i) => i.resolved && !i.coinbase)) {
      const fee = tx.inputs.reduce((s, i) => s + (i.value ?? 0n), 0n) - tx.outputs.reduce((s, o) => s + o.value, 0n);
      if (fee !== coinsToBase(json.fee, chain.decimals, request)) throw invalid(request, `inputs minus outputs is ${fee}, not the stated fee; the values do not add up`);
    }
  }
}
