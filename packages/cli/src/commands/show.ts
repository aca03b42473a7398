import { openSqliteStore } from '@cryptotrace/adapters';
import {
  type AccountTransaction,
  type CaseStore,
  type Chain,
  CtraceError,
  dataCarriers,
  type UtxoTransaction,
  getChain,
  holderOf,
  txFee,
} from '@cryptotrace/core';
import type { CommandContext } from '../context.js';
import { formatAmount, formatId, safeText, table, toJson } from '../output.js';
import { addressNotFound, storedAddress, storedTx, txNotFound } from './resolve.js';

export interface ShowOptions {
  chain?: string;
}

/** `ctrace show tx <txid>`: a decoded transaction, with where each output went. */
export async function showTx(ctx: CommandContext, txidArg: string, opts: ShowOptions): Promise<number> {
  const store = openSqliteStore(ctx.db, { readonly: true });
  try {
    const { chain, txid } = storedTx(store, ctx.db, txidArg, opts.chain);
    const tx = store.getTransaction(chain, txid);
    if (!tx) throw txNotFound(ctx.db, chain, txid);
    if ('txid' in tx) {
      const json = utxoTxJson(store, tx);
      ctx.io.out(ctx.json ? toJson(json) : utxoTxText(json, getChain(chain)));
    } else {
      const json = accountTxJson(tx);
      ctx.io.out(ctx.json ? toJson(json) : accountTxText(json, getChain(chain)));
    }
    return 0;
  } finally {
    store.close();
  }
}

/** The public JSON of a UTXO transaction: names documented in docs/json-schema.md, values as decimal strings. */
export function utxoTxJson(store: CaseStore, tx: UtxoTransaction) {
  const fee = txFee(tx);
  return {
    chain: tx.chain,
    txid: tx.txid,
    block: tx.block,
    position: tx.position,
    version: tx.version,
    locktime: tx.locktime,
    size: tx.size,
    vsize: tx.vsize,
    fee: fee === null ? null : fee.toString(),
    inputs: tx.inputs.map((i) => ({
      index: i.index,
      prevTxid: i.coinbase ? null : i.prevTxid,
      prevVout: i.coinbase ? null : i.prevVout,
      coinbase: i.coinbase,
      sequence: i.sequence,
      address: i.address,
      scriptId: i.scriptId,
      value: i.value === null ? null : i.value.toString(),
      resolved: i.coinbase || i.resolved,
      // Unresolved with a holder: the address was read from the spending data, the value is not known yet.
      derived: !i.coinbase && !i.resolved && holderOf(i) !== null,
    })),
    outputs: tx.outputs.map((o) => ({
      index: o.index,
      address: o.address,
      scriptId: o.scriptId,
      scriptType: o.scriptType,
      value: o.value.toString(),
      spentBy: o.scriptType === 'nulldata' ? null : store.spenderOf(tx.chain, tx.txid, o.index),
    })),
    dataCarriers: dataCarriers(tx),
  };
}

/** The public JSON of an account-model transaction. */
export function accountTxJson(tx: AccountTransaction) {
  return {
    chain: tx.chain,
    txid: tx.hash,
    hash: tx.hash,
    blockNumber: tx.blockNumber,
    blockHash: tx.blockHash,
    blockTime: tx.blockTime,
    position: tx.position,
    nonce: tx.nonce,
    from: tx.from,
    to: tx.to,
    value: tx.value.toString(),
    fee: tx.fee.toString(),
    status: tx.status,
    contractAddress: tx.contractAddress,
    internalTransfers: tx.internalTransfers.map((t) => ({ ...t, value: t.value.toString() })),
    tokenTransfers: tx.tokenTransfers.map((t) => ({ ...t, value: t.value.toString() })),
  };
}

function utxoTxText(tx: ReturnType<typeof utxoTxJson>, chain: Chain): string {
  const amount = (v: string | null) => (v === null ? '?' : formatAmount(BigInt(v), chain));
  const place = tx.block ? `block ${tx.block.height ?? '?'} (${tx.block.hash}), ${new Date(tx.block.time * 1000).toISOString()}` : 'unconfirmed or block unknown';
  const head = `${tx.chain} transaction ${tx.txid}\n${place}\nversion ${tx.version}, locktime ${tx.locktime}, fee ${amount(tx.fee)}\n\n`;
  const ins = table(['in', 'from', 'value', 'spends'], tx.inputs.map((i) => [
    String(i.index),
    i.coinbase ? '(coinbase)' : `${formatId(holderOf(i) ?? '?')}${i.derived ? ' (from its spending data)' : ''}`,
    i.coinbase ? '' : amount(i.value),
    i.coinbase ? '' : `${formatId(i.prevTxid!)}:${i.prevVout}`,
  ]), [2]);
  const carried = new Map(tx.dataCarriers.map((c) => [c.outputIndex, c]));
  const outs = table(['out', 'to', 'type', 'value', 'spent by'], tx.outputs.map((o) => [
    String(o.index),
    holderOf(o) !== null ? formatId(holderOf(o)!) : carried.has(o.index) ? `(data: ${carried.get(o.index)!.name})` : '(unspendable)',
    o.scriptType,
    amount(o.value),
    o.spentBy ? `${formatId(o.spentBy.txid)}:${o.spentBy.inputIndex}` : '',
  ]), [3]);
  const omni = tx.dataCarriers.flatMap((c) => (c.omni ? [c.omni] : []));
  const data = omni.map((o) => `\nOmni ${o.typeName}: ${o.propertyId === null ? '' : `property ${o.propertyId}${o.propertyName ? ` (${o.propertyName})` : ''}, amount ${o.amount} base units, `}from ${formatId(o.sender ?? '?')} to ${formatId(o.receiver ?? '?')}\n`).join('');
  return `${head}${ins}\n${outs}${data}`;
}

function accountTxText(tx: ReturnType<typeof accountTxJson>, chain: Chain): string {
  const amount = (v: string) => formatAmount(BigInt(v), chain);
  const lines = [
    `${tx.chain} transaction ${tx.hash} (${tx.status})`,
    `block ${tx.blockNumber}, ${new Date(tx.blockTime * 1000).toISOString()}`,
    `from ${tx.from} to ${tx.to ?? `(creates ${tx.contractAddress})`}`,
    `value ${amount(tx.value)}, fee ${amount(tx.fee)}`,
    '',
  ];
  let text = lines.join('\n');
  if (tx.internalTransfers.length) {
    text += `\ninternal transfers\n${table(['trace', 'from', 'to', 'value'], tx.internalTransfers.map((t) => [t.traceAddress || '-', formatId(t.from), formatId(t.to), amount(t.value)]), [3])}`;
  }
  if (tx.tokenTransfers.length) {
    text += `\ntoken transfers\n${table(['log', 'token', 'from', 'to', 'amount (base units)'], tx.tokenTransfers.map((t) => [String(t.logIndex), formatId(t.token), formatId(t.from), formatId(t.to), t.value]), [4])}`;
  }
  return text;
}

/** `ctrace show address <address>`: every transaction that touched the address, with totals. */
export async function showAddress(ctx: CommandContext, addressArg: string, opts: ShowOptions): Promise<number> {
  const store = openSqliteStore(ctx.db, { readonly: true });
  try {
    const { chain, address } = storedAddress(store, ctx.db, addressArg, opts.chain);
    const history = store.addressHistory(chain, address);
    if (history.length === 0) throw addressNotFound(ctx.db, chain, address);
    const native = history.filter((h) => h.asset === 'native');
    const received = native.reduce((s, h) => s + h.received, 0n);
    const sent = native.reduce((s, h) => s + h.sent, 0n);
    const json = {
      chain,
      address,
      transactions: new Set(history.map((h) => h.txid)).size,
      received: received.toString(),
      sent: sent.toString(),
      balance: (received - sent).toString(),
      history: history.map((h) => ({ ...h, received: h.received.toString(), sent: h.sent.toString() })),
    };
    if (ctx.json) {
      ctx.io.out(toJson(json));
      return 0;
    }
    const amount = (v: bigint, asset: string) => (asset === 'native' ? formatAmount(v, getChain(chain)) : `${v} of ${formatId(asset)}`);
    ctx.io.out(`${chain} address ${address}\n${json.transactions} transactions, received ${amount(received, 'native')}, sent ${amount(sent, 'native')}, balance ${amount(received - sent, 'native')}\n\n`);
    ctx.io.out(table(['block', 'time', 'txid', 'received', 'sent'], history.map((h) => [
      h.blockHeight === null ? '?' : String(h.blockHeight),
      h.blockTime === null ? '' : new Date(h.blockTime * 1000).toISOString().slice(0, 19).replace('T', ' '),
      formatId(h.txid),
      h.received ? amount(h.received, h.asset) : '',
      h.sent ? amount(h.sent, h.asset) : '',
    ]), [0, 3, 4]));
    return 0;
  } finally {
    store.close();
  }
}
