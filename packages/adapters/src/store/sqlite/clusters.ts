import type { ClusterOp, ClusterRuleSet, ClusterRunState, EvidenceEdge, UnionFind } from '@cryptotrace/core';
import { ensureCapacity, find } from '@cryptotrace/core';
import { type Db, writeImmediately } from './open.js';

export type { ClusterOp, ClusterRunState } from '@cryptotrace/core';

/** The cluster indexes (migration 3) a rebuild drops while it writes in bulk and builds again at its end. */
const REBUILT_INDEXES = `CREATE INDEX IF NOT EXISTS cluster_members_cluster ON cluster_members (cluster_id);
  CREATE INDEX IF NOT EXISTS cluster_links_a ON cluster_links (a_id);
  CREATE INDEX IF NOT EXISTS cluster_links_b ON cluster_links (b_id);`;

/** Evidence params as written (JSON), by params object. */
const paramsJson = new WeakMap<object, string>();

/** Rows per insert where a run writes many (links, a rebuild's members): a statement run per row cost a third more at 10^5. */
const ROWS_PER_INSERT = 64;

/**
 * Bulk rows into a table in their order, ROWS_PER_INSERT per statement run. Each `begin` starts an empty batch
 * (nothing is carried over from a write that failed); its `end` writes what is left.
 * @example const w = rowWriter(db, 'cluster_members', ['address_id', 'cluster_id']).begin(); w.add(1, 1); w.end()
 */
export function rowWriter(db: Db, table: string, columns: readonly string[]) {
  const row = `(${columns.map(() => '?').join(', ')})`;
  const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES`;
  const one = db.prepare(`${insert} ${row}`);
  const many = db.prepare(`${insert} ${Array<string>(ROWS_PER_INSERT).fill(row).join(', ')}`);
  const full = ROWS_PER_INSERT * columns.length;
  return {
    begin() {
      const values: unknown[] = [];
      return {
        add(...row: unknown[]): void {
          for (const v of row) values.push(v);
          if (values.length === full) {
            many.run(values);
            values.length = 0;
          }
        },
        end(): void {
          for (let k = 0; k < values.length; k += columns.length) one.run(values.slice(k, k + columns.length));
          values.length = 0;
        },
      };
    },
  };
}

const opened = new WeakMap<Db, ReturnType<typeof clusterTables>>();

/**
 * The cluster tables of a store (migrations 3 and 5): run state, members, evidence of unions, guard events.
 * A rebuild commits its links and events chunk by chunk and writes membership once, in bulk, with the run marked
 * complete; an update keeps roots current as it goes: a merge moves the absorbed cluster's rows to the root that
 * stays (union by size makes that O(n log n) over a run). Prepared once per database (a watch updates every block).
 */
export function createClusterTables(db: Db): ReturnType<typeof clusterTables> {
  let t = opened.get(db);
  if (!t) opened.set(db, (t = clusterTables(db)));
  return t;
}

function clusterTables(db: Db) {
  const s = {
    run: db.prepare(`SELECT chain, rule_set AS ruleSet, last_tx_id AS lastTxId, last_address_id AS lastAddressId, last_account_tx_id AS lastAccountTxId, built_at AS builtAt,
      updated_at AS updatedAt, NOT EXISTS (SELECT 1 FROM cluster_rebuilds b WHERE b.chain = r.chain) AS complete FROM cluster_runs r WHERE chain = ?`),
    saveRun: db.prepare(`INSERT INTO cluster_runs (chain, rule_set, last_tx_id, last_address_id, last_account_tx_id, built_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (chain) DO UPDATE SET rule_set = excluded.rule_set, last_tx_id = excluded.last_tx_id, last_address_id = excluded.last_address_id,
      last_account_tx_id = excluded.last_account_tx_id, built_at = excluded.built_at, updated_at = excluded.updated_at`),
    building: db.prepare('INSERT INTO cluster_rebuilds (chain) VALUES (?) ON CONFLICT DO NOTHING'),
    built: db.prepare('DELETE FROM cluster_rebuilds WHERE chain = ?'),
    members: db.prepare('SELECT m.address_id, m.cluster_id FROM cluster_members m JOIN addresses a ON a.id = m.address_id WHERE a.chain = ?').raw(),
    memberAdd: db.prepare('INSERT INTO cluster_members (address_id, cluster_id) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    // Ids go in as one JSON list; each a primary-key or index seek.
    rootsOf: db.prepare('SELECT m.address_id, m.cluster_id FROM json_each(?) AS j CROSS JOIN cluster_members AS m WHERE m.address_id = j.value').raw(),
    sizeOf: db.prepare('SELECT count(*) FROM cluster_members WHERE cluster_id = ?').pluck(),
    memberMove: db.prepare('UPDATE cluster_members SET cluster_id = ? WHERE cluster_id = ?'),
    event: db.prepare('INSERT INTO cluster_events (chain, kind, txid, rule, a_id, b_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    pendingOn: db.prepare('INSERT INTO cluster_pending (tx_id) VALUES (?) ON CONFLICT DO NOTHING'),
    pendingOff: db.prepare('DELETE FROM cluster_pending WHERE tx_id = ?'),
    // From the few pending rows to their transactions (CROSS JOIN keeps that order), not from every row of the chain.
    pending: db.prepare('SELECT p.tx_id FROM cluster_pending p CROSS JOIN txs t ON t.id = p.tx_id WHERE t.chain = ? ORDER BY p.tx_id').pluck(),
    // Per stored row, a primary-key probe: `IN (SELECT id ...)` would first list every address (tx) of the chain.
    resetMembers: db.prepare('DELETE FROM cluster_members WHERE EXISTS (SELECT 1 FROM addresses a WHERE a.id = cluster_members.address_id AND a.chain = ?)'),
    resetLinks: db.prepare('DELETE FROM cluster_links WHERE chain = ?'),
    resetEvents: db.prepare('DELETE FROM cluster_events WHERE chain = ?'),
    resetPending: db.prepare('DELETE FROM cluster_pending WHERE EXISTS (SELECT 1 FROM txs t WHERE t.id = cluster_pending.tx_id AND t.chain = ?)'),
    resetRun: db.prepare('DELETE FROM cluster_runs WHERE chain = ?'),
  };

  const linkRows = rowWriter(db, 'cluster_links', ['chain', 'a_id', 'b_id', 'rule', 'version', 'txid', 'output_index', 'log_index', 'block_height', 'confidence', 'params']);
  const memberRows = rowWriter(db, 'cluster_members', ['address_id', 'cluster_id']);

  const writeOps = db.transaction((chain: string, ops: ClusterOp[], state: ClusterRunState, members: boolean) => {
    // Link rows in their order, in bulk; records share their params objects (a rule's parameters), each written
    // as JSON once.
    const links = linkRows.begin();
    // Consecutive links mostly share their params (a transaction's multi-input links): the last one's JSON is kept.
    let lastParams: object | null = null;
    let json = '';
    for (const op of ops) {
      if (op.kind === 'link') {
        if (members) {
          const { root, absorbed } = op.merge;
          s.memberAdd.run(root, root);
          s.memberAdd.run(absorbed, absorbed);
          s.memberMove.run(root, absorbed);
        }
        const e = op.evidence;
        if (e.params !== lastParams) {
          lastParams = e.params;
          const known = paramsJson.get(e.params);
          if (known === undefined) paramsJson.set(e.params, (json = JSON.stringify(e.params)));
          else json = known;
        }
        links.add(chain, op.a, op.b, e.rule, e.version, e.txid, e.outputIndex, e.logIndex, e.blockHeight, e.confidence, json);
      } else if (op.kind === 'refusal') {
        const r = op.refusal;
        const detail = JSON.stringify({ sizeA: r.sizeA, sizeB: r.sizeB, ownerA: r.ownerA, ownerB: r.ownerB, confidence: r.evidence.confidence });
        s.event.run(chain, r.reason === 'size' ? 'refused-size' : 'refused-labels', r.evidence.txid, r.evidence.rule, r.a, r.b, detail);
      } else if (op.kind === 'coinjoin' || op.kind === 'ambiguous') {
        s.event.run(chain, op.kind, op.evidence.txid, op.evidence.rule, null, null, JSON.stringify(op.evidence.params));
      } else if (op.on) s.pendingOn.run(op.rowId);
      else s.pendingOff.run(op.rowId);
    }
    links.end();
    saveRun(state);
  });

  // The end of a rebuild: every address in a cluster of two or more, in id order, the indexes the rebuild went
  // without built once over the bulk, and the run marked complete.
  const writeMembers = db.transaction((ops: ClusterOp[], uf: UnionFind, state: ClusterRunState) => {
    writeOps(state.chain, ops, state, false);
    db.exec('DROP INDEX IF EXISTS cluster_members_cluster');
    const members = memberRows.begin();
    for (let a = 0; a < uf.parent.length; a++) {
      const root = find(uf, a);
      if (uf.size[root] > 1) members.add(a, root);
    }
    members.end();
    db.exec(REBUILT_INDEXES);
    saveRun({ ...state, complete: true });
  });

  function saveRun(r: ClusterRunState): void {
    s.saveRun.run(r.chain, JSON.stringify(r.ruleSet), r.lastTxId, r.lastAddressId, r.lastAccountTxId, r.builtAt, r.updatedAt);
    if (r.complete) s.built.run(r.chain);
    else s.building.run(r.chain);
  }

  return {
    /** The stored run of a chain, or null when it was never clustered. */
    loadRun(chain: string): ClusterRunState | null {
      const r = s.run.get(chain) as (Omit<ClusterRunState, 'ruleSet' | 'complete'> & { ruleSet: string; complete: number }) | undefined;
      return r ? { ...r, ruleSet: JSON.parse(r.ruleSet) as ClusterRuleSet, complete: r.complete === 1 } : null;
    },
    /** Put a chain's stored clusters into a union-find (roots as stored). */
    loadInto(chain: string, uf: UnionFind): void {
      // Streamed, not materialized: a store's clusters can hold millions of members.
      for (const [a, root] of s.members.iterate(chain) as IterableIterator<[number, number]>) {
        if (a === root) continue;
        ensureCapacity(uf, Math.max(a, root) + 1);
        uf.parent[a] = root;
        uf.size[root] += 1;
      }
    },
    /**
     * Put the stored clusters of some addresses into a union-find, for an update: each address's root and that
     * root's size, read once (`loaded` marks what was read). Reading only the addresses a chunk touches keeps an
     * update proportional to the new transactions, not to the store.
     */
    loadIds(uf: UnionFind, ids: Iterable<number>, loaded: Uint8Array): void {
      const want: number[] = [];
      for (const a of ids) if (a >= 0 && loaded[a] === 0) {
        loaded[a] = 1;
        want.push(a);
      }
      for (let k = 0; k < want.length; k += 10_000) {
        for (const [a, root] of s.rootsOf.all(JSON.stringify(want.slice(k, k + 10_000))) as [number, number][]) {
          ensureCapacity(uf, Math.max(a, root) + 1);
          if (loaded[root] !== 2) {
            // A root read for the first time: its size as stored (later merges in this run update it in memory).
            uf.size[root] = s.sizeOf.get(root) as number;
            loaded[root] = 2;
          }
          if (a !== root) uf.parent[a] = root;
        }
      }
    },
    /**
     * Write a chunk's operations and the run state in one transaction; `members` keeps membership current
     * (an update), a rebuild writes it at its end (`finish`).
     */
    write(chain: string, ops: ClusterOp[], state: ClusterRunState, members = true): void {
      writeImmediately(db, () => writeOps.immediate(chain, ops, state, members));
    },
    /** End a rebuild: the last operations, membership from the union-find and the run marked complete, in one transaction. */
    finish(ops: ClusterOp[], uf: UnionFind, state: ClusterRunState): void {
      writeImmediately(db, () => writeMembers.immediate(ops, uf, state));
      state.complete = true;
    },
    pendingRowIds: (chain: string) => s.pending.all(chain) as number[],
    /** Forget a chain's clusters and mark a rebuild with `ruleSet` under way. */
    reset(chain: string, ruleSet: ClusterRuleSet, at: string): void {
      const reset = db.transaction(() => {
        for (const st of [s.resetMembers, s.resetLinks, s.resetEvents, s.resetPending, s.resetRun]) st.run(chain);
        // Links go in without their address indexes until the rebuild ends (finish builds them again).
        db.exec('DROP INDEX IF EXISTS cluster_links_a; DROP INDEX IF EXISTS cluster_links_b');
        // The rebuild to come, marked incomplete: an interruption from here on is seen and the rebuild started again.
        saveRun({ chain, ruleSet, lastTxId: 0, lastAddressId: 0, lastAccountTxId: 0, builtAt: at, updatedAt: at, complete: false });
      });
      writeImmediately(db, () => reset.immediate());
    },
  };
}

/** True while a rebuild of the chain's clusters is under way, or was stopped before its end (its membership is not written yet). */
export function clusterRebuildPending(db: Db, chain: string): boolean {
  return db.prepare('SELECT 1 FROM cluster_rebuilds WHERE chain = ?').get(chain) !== undefined;
}

/** A link row read back, holders by name. */
export type StoredEvidenceEdge = EvidenceEdge;
