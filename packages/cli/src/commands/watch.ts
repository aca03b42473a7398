import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type BlockAnnouncer, createBlockWaker, createWatchLedger, openSqliteStore, postAlert, readWatchlist, redactUrl, runWatch, selectSource, zmqOption } from '@cryptotrace/adapters';
import { CtraceError, getChain } from '@cryptotrace/core';
import type { CommandContext } from '../context.js';
import { safeText, table, toJson } from '../output.js';
import { type FetchOptions, integer, positive } from './fetch.js';

export interface WatchOptions extends Pick<FetchOptions, 'rpcUrl' | 'rpcCookie' | 'rpcUser' | 'rpcPassword' | 'esploraUrl' | 'timeout' | 'retries'> {
  chain: string;
  watchlist: string;
  alerts?: string;
  webhook?: string;
  webhookSecret?: string;
  confirmations?: string;
  from?: string;
  once?: boolean;
  poll?: string;
  zmq?: string;
}

/** `ctrace watch <chain> --watchlist <file>`: follow the chain, evaluate the watch rules on each block, raise alerts. */
export async function watch(ctx: CommandContext, o: WatchOptions): Promise<number> {
  const chain = getChain(o.chain);
  const entries = readWatchlist(resolve(ctx.cwd, o.watchlist), chain);
  const confirmations = integer(o.confirmations ?? '0', '--confirmations', 0, 1000);
  const from = o.from === undefined ? undefined : integer(o.from, '--from', 0, 2 ** 40);
  const pollSeconds = positive(o.poll ?? '10', '--poll');
  const retries = integer(o.retries ?? '4', '--retries', 0, 100);
  const source = selectSource(chain, {
    rpcUrl: o.rpcUrl, rpcCookie: o.rpcCookie, rpcUser: o.rpcUser, rpcPassword: o.rpcPassword ?? process.env.CTRACE_RPC_PASSWORD, esploraUrl: o.esploraUrl,
    limits: { timeoutMs: integer(o.timeout ?? '30000', '--timeout', 100, 3_600_000), retries, onRetry: (r) => ctx.io.err(`note: ${safeText(r.reason)}; retry ${r.attempt} in ${(r.delayMs / 1000).toFixed(1)} s\n`) },
  });
  const zmq = o.zmq === undefined || o.zmq === 'off' ? undefined : zmqOption(o.zmq);
  if (zmq && !source.announceBlocks) throw new CtraceError('USAGE', `--zmq is for a Bitcoin Core-compatible node (--rpc-url); ${source.kind} sends no ZMQ notifications`);
  const secret = o.webhookSecret ?? process.env.CTRACE_WEBHOOK_SECRET;
  const alertsPath = o.alerts === undefined || o.alerts === '-' ? null : resolve(ctx.cwd, o.alerts);
  const store = openSqliteStore(ctx.db, { create: true });
  const ledger = createWatchLedger(store.db);
  // Alerts a killed run wrote to the file but had not marked as written: the file is the truth.
  if (alertsPath && existsSync(alertsPath)) {
    for (const line of readFileSync(alertsPath, 'utf8').split('\n')) {
      try {
        const id = (JSON.parse(line) as { id?: unknown }).id;
        if (typeof id === 'string') ledger.delivered(id, 'file');
      } catch {
        // a line cut short by a crash: its alert is written again below
      }
    }
  }
  const deliver = async () => {
    // Written and synced first, then marked: a crash between the two is undone by the scan of the file above.
    const pending = ledger.undelivered(chain.name, 'file');
    if (pending.length) {
      const lines = pending.map((a) => `${JSON.stringify(a)}\n`).join('');
      if (alertsPath) {
        const fd = openSync(alertsPath, 'a');
        try {
          appendFileSync(fd, lines);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      } else ctx.io.out(lines);
      store.db.transaction(() => {
        for (const a of pending) ledger.delivered(a.id, 'file');
      })();
    }
    if (!o.webhook) return;
    for (const a of ledger.undelivered(chain.name, 'webhook')) {
      const failed = await postAlert(o.webhook, secret, a, retries);
      if (failed !== null) {
        ctx.io.err(`note: webhook ${safeText(redactUrl(o.webhook))} failed (${safeText(failed)}); its alerts are sent again on the next block or start\n`);
        return;
      }
      ledger.delivered(a.id, 'webhook');
    }
  };
  let stop = false;
  const onSignal = () => {
    stop = true;
    ctx.io.err('\ninterrupt: finishing the current block, then stopping\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let raised = 0;
  const started = Date.now();
  const waker = createBlockWaker();
  let announcer: BlockAnnouncer | undefined;
  try {
    await deliver();
    if (!o.once) {
      const polling = `following the tip by polling every ${pollSeconds} s`;
      if (o.zmq === 'off' || !source.announceBlocks) ctx.io.err(`watch ${chain.name}: ${polling} (${o.zmq === 'off' ? 'notifications off' : `${source.kind} sends no block notifications`})\n`);
      else {
        announcer = await source.announceBlocks({ endpoint: zmq, onBlock: () => waker.wake(), onNotice: (m) => ctx.io.err(`note: ${safeText(m)}\n`) });
        const how = announcer.following === 'notifications' ? `following the tip by notifications (${announcer.detail}), polling every ${pollSeconds} s as the fallback` : `${polling} (${announcer.detail})`;
        ctx.io.err(`watch ${chain.name}: ${safeText(how)}\n`);
      }
    }
    const s = await runWatch(store, source, {
      chain: chain.name, entries, confirmations, from, once: o.once, pollSeconds, shouldStop: () => stop,
      sleep: waker.sleep,
      onAlerts: async (alerts) => {
        raised += alerts.length;
        await deliver();
      },
      onNotice: (m) => ctx.io.err(`note: ${safeText(m)}\n`),
      onProgress: (p) => ctx.io.err(`watch ${chain.name}: height ${p.height}, ${Math.max(0, p.tip - confirmations - p.height)} behind the tip, ${(p.blocks / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1)} blocks/s, ${p.alerts} alerts\n`),
    });
    ctx.io.err(`watch ${chain.name}: at height ${s.height} (tip ${s.tip}), ${s.blocks} blocks evaluated, ${s.alerts} alerts, ${s.reorgs} reorgs (${s.retracted} alerts retracted)\n`);
    if (s.interrupted) return 130;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    announcer?.close();
    store.close();
    await source.close?.();
  }
  return raised > 0 ? 1 : 0;
}

/** `ctrace watch status`: where each watch of the store stands. */
export async function watchStatus(ctx: CommandContext): Promise<number> {
  if (!existsSync(ctx.db)) throw new CtraceError('NOT_FOUND', `no case store at ${ctx.db}: run ctrace watch first`);
  const store = openSqliteStore(ctx.db, { readonly: true });
  try {
    const ledger = createWatchLedger(store.db);
    const counts = new Map(ledger.counts().map((c) => [c.chain, c]));
    const rows = ledger.states().map((s) => ({ ...s, alerts: counts.get(s.chain)?.alerts ?? 0, retractions: counts.get(s.chain)?.retractions ?? 0, unsentFile: counts.get(s.chain)?.unsentFile ?? 0, unsentWebhook: counts.get(s.chain)?.unsentWebhook ?? 0 }));
    if (ctx.json) {
      ctx.io.out(toJson({ watches: rows }));
      return 0;
    }
    if (rows.length === 0) {
      ctx.io.out(`${ctx.db} has no watch yet: run ctrace watch <chain> --watchlist <file>\n`);
      return 0;
    }
    ctx.io.out(table(['chain', 'height', 'block', 'updated', 'alerts', 'retracted', 'unsent (file)', 'unsent (webhook)'], rows.map((r) => [r.chain, String(r.height), r.hash, r.updatedAt, String(r.alerts), String(r.retractions), String(r.unsentFile), String(r.unsentWebhook)]), [1, 4, 5, 6, 7]));
    return 0;
  } finally {
    store.close();
  }
}
