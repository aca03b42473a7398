import { createHash } from 'node:crypto';
import type { WatchEntry, WatchRule } from '@cryptotrace/core';

/** One alert, as the NDJSON line and the webhook body carry it. */
export interface WatchAlert {
  /** Stable: the same event (rule, entry, transaction, subject) always has the same id. */
  id: string;
  type: 'alert' | 'retracted';
  rule: WatchRule;
  chain: string;
  txid: string;
  height: number;
  block: string;
  /** The block's time, ISO-8601: the clock plays no part, so that a replay gives the same bytes. */
  time: string;
  watch: { key: string; name: string | null };
  /** Base units, decimal text; null where an input's value is not known. */
  amount: string | null;
  /** The address the event is about: the spender, the receiver, the new member. */
  address: string;
  evidence: Record<string, unknown>;
  /** For `retracted`: the id of the alert whose block left the best chain. */
  retracts?: string;
}

/** The stable id of an event. */
export function alertId(...parts: (string | number)[]): string {
  return createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32);
}

/** What identifies an entry in an alert. */
export function watchRef(e: WatchEntry): WatchAlert['watch'] {
  return { key: e.key, name: e.name };
}

/** The retraction of an alert whose block was orphaned by a reorg. */
export function retraction(a: WatchAlert, orphanedBy: string): WatchAlert {
  return { ...a, id: alertId('retracted', a.id), type: 'retracted', retracts: a.id, evidence: { ...a.evidence, orphaned: a.block, newBranchTip: orphanedBy } };
}

/** The block an alert is raised in. */
export interface AlertBlock {
  chain: string;
  hash: string;
  height: number;
  /** Unix seconds. */
  time: number;
}

/** Makes the alerts of one entry and rule in a block: the id from the rule, chain, entry, transaction, address and subject. */
export type AlertMaker = (e: WatchEntry, rule: WatchRule, txid: string, address: string, amount: bigint | null, evidence: Record<string, unknown>, ...subject: (string | number)[]) => WatchAlert;

/** The alert maker of a block. */
export function alertMaker(block: AlertBlock): AlertMaker {
  const time = new Date(block.time * 1000).toISOString();
  return (e, rule, txid, address, amount, evidence, ...subject) => ({
    id: alertId(rule, block.chain, e.key, txid, address, ...subject), type: 'alert', rule, chain: block.chain, txid, height: block.height, block: block.hash, time,
    watch: watchRef(e), amount: amount === null ? null : amount.toString(), address, evidence,
  });
}
