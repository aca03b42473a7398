import type { ClusterRuleSet, EvidenceEdge, EvidenceParams } from '@cryptotrace/core';
import { shortestEvidencePath } from '@cryptotrace/core';
import type { Db } from './open.js';

/** A label on a cluster member, as the labels table holds it. */
export interface ClusterLabel {
  address: string;
  category: string;
  actor: string;
  source: string;
  confidence: number;
}

/** An address's cluster: who is in it, what labels they carry and which rules built it. */
export interface ClusterView {
  chain: string;
  /** The address asked about. */
  address: string;
  /** The cluster's root address (its id in the store). */
  root: string;
  size: number;
  /** Members in store order, at most `limit`. */
  addresses: string[];
  labels: ClusterLabel[];
  /** Unions inside the cluster by rule. */
  rules: { rule: string; version: number; links: number }[];
  ruleSet: ClusterRuleSet | null;
  updatedAt: string | null;
}

/** A guard report: a CoinJoin or an ambiguous equal-output transaction skipped, or a merge refused. */
export interface ClusterEventView {
  kind: 'coinjoin' | 'ambiguous' | 'refused-size' | 'refused-labels';
  txid: string;
  rule: string;
  a: string | null;
  b: string | null;
  detail: Record<string, unknown>;
}

/**
 * The read side of the cluster tables: clusters, their evidence and the guards' reports.
 */
export function createClusterReader(db: Db) {
  const s = {
    addressId: db.prepare('SELECT id FROM addresses WHERE chain = ? AND address = ?').pluck(),
    clusterOf: db.prepare('SELECT cluster_id FROM cluster_members WHERE address_id = ?').pluck(),
    members: db.prepare('SELECT a.address FROM cluster_members m JOIN addresses a ON a.id = m.address_id WHERE m.cluster_id = ? ORDER BY a.id LIMIT ?').pluck(),
    size: db.prepare('SELECT count(*) FROM cluster_members WHERE cluster_id = ?').pluck(),
    name: db.prepare('SELECT address FROM addresses WHERE id = ?').pluck(),
    labels: db.prepare(`SELECT l.address, l.category, l.actor, l.source, l.confidence FROM cluster_members m JOIN addresses a ON a.id = m.address_id
      JOIN labels l ON l.chain = a.chain AND l.address = a.address WHERE m.cluster_id = ? ORDER BY l.address, l.category, l.source`),
    labelsOne: db.prepare('SELECT address, category, actor, source, confidence FROM labels WHERE chain = ? AND address = ? ORDER BY category, source'),
    rules: db.prepare(`SELECT k.rule, k.version, count(*) AS links FROM cluster_members m JOIN cluster_links k ON k.a_id = m.address_id
      WHERE m.cluster_id = ? GROUP BY k.rule, k.version ORDER BY links DESC, k.rule`),
    edges: db.prepare(`SELECT fa.address AS "from", fb.address AS "to", k.rule, k.version, k.chain, k.txid, k.output_index AS outputIndex, k.log_index AS logIndex,
      k.block_height AS blockHeight, k.confidence, k.params FROM cluster_members m JOIN cluster_links k ON k.a_id = m.address_id
      JOIN addresses fa ON fa.id = k.a_id JOIN addresses fb ON fb.id = k.b_id WHERE m.cluster_id = ? ORDER BY k.id`),
    run: db.prepare('SELECT rule_set AS ruleSet, updated_at AS updatedAt FROM cluster_runs WHERE chain = ?'),
    events: db.prepare(`SELECT e.kind, e.txid, e.rule, a.address AS a, b.address AS b, e.detail FROM cluster_events e
      LEFT JOIN addresses a ON a.id = e.a_id LEFT JOIN addresses b ON b.id = e.b_id WHERE e.chain = ? AND (? IS NULL OR e.kind = ?) ORDER BY e.id LIMIT ?`),
    // The transactions both addresses take part in (as input or output) that a guard kept from giving links.
    guardedBetween: db.prepare(`WITH x AS (SELECT tx_id FROM inputs WHERE address_id = @a UNION SELECT tx_id FROM outputs WHERE address_id = @a),
      y AS (SELECT tx_id FROM inputs WHERE address_id = @b UNION SELECT tx_id FROM outputs WHERE address_id = @b)
      SELECT e.kind, e.txid, e.rule, NULL AS a, NULL AS b, e.detail FROM x JOIN y ON y.tx_id = x.tx_id JOIN txs t ON t.id = x.tx_id
      JOIN cluster_events e ON e.txid = t.txid AND e.chain = t.chain WHERE t.chain = @chain AND e.kind IN ('coinjoin', 'ambiguous') ORDER BY e.id LIMIT @limit`),
  };
  const parseEvent = (e: Omit<ClusterEventView, 'detail'> & { detail: string }): ClusterEventView => ({ ...e, detail: JSON.parse(e.detail) as Record<string, unknown> });

  function rootOf(chain: string, address: string): { id: number | null; root: number | null } {
    const id = (s.addressId.get(chain, address) as number | undefined) ?? null;
    const root = id === null ? null : ((s.clusterOf.get(id) as number | undefined) ?? null);
    return { id, root };
  }

  return {
    /**
     * The cluster of an address; a clustered address outside any union is a cluster of one.
     * @returns null when the address is not in the store
     */
    cluster(chain: string, address: string, limit = 1000): ClusterView | null {
      const { id, root } = rootOf(chain, address);
      if (id === null) return null;
      const run = s.run.get(chain) as { ruleSet: string; updatedAt: string } | undefined;
      const base = { chain, address, ruleSet: run ? (JSON.parse(run.ruleSet) as ClusterRuleSet) : null, updatedAt: run?.updatedAt ?? null };
      if (root === null) return { ...base, root: address, size: 1, addresses: [address], labels: s.labelsOne.all(chain, address) as ClusterLabel[], rules: [] };
      return {
        ...base,
        root: s.name.get(root) as string,
        size: s.size.get(root) as number,
        addresses: s.members.all(root, limit) as string[],
        labels: s.labels.all(root) as ClusterLabel[],
        rules: s.rules.all(root) as ClusterView['rules'],
      };
    },
    /**
     * The shortest chain of recorded unions linking a and b.
     * @returns the edges from a to b, or null when they are not in one cluster
     */
    why(chain: string, a: string, b: string): EvidenceEdge[] | null {
      const ra = rootOf(chain, a);
      const rb = rootOf(chain, b);
      if (a === b) return [];
      if (ra.root === null || ra.root !== rb.root) return null;
      const rows = s.edges.all(ra.root) as (Omit<EvidenceEdge, 'evidence'> & { rule: string; version: number; chain: string; txid: string; outputIndex: number | null; logIndex: number | null; blockHeight: number | null; confidence: number; params: string })[];
      const edges = rows.map(({ from, to, params, ...e }) => ({ from, to, evidence: { ...e, params: JSON.parse(params) as EvidenceParams } }));
      return shortestEvidencePath(edges, a, b);
    },
    /** Guard reports of a chain, oldest first. */
    events(chain: string, kind: ClusterEventView['kind'] | null = null, limit = 1000): ClusterEventView[] {
      return (s.events.all(chain, kind, kind, limit) as Parameters<typeof parseEvent>[0][]).map(parseEvent);
    },
    /**
     * The CoinJoin and ambiguous equal-output reports of transactions that both addresses take part in: why two
     * addresses seen together are not linked.
     */
    guardedBetween(chain: string, a: string, b: string, limit = 20): ClusterEventView[] {
      const ia = rootOf(chain, a).id;
      const ib = rootOf(chain, b).id;
      if (ia === null || ib === null) return [];
      return (s.guardedBetween.all({ a: ia, b: ib, chain, limit }) as Parameters<typeof parseEvent>[0][]).map(parseEvent);
    },
  };
}
