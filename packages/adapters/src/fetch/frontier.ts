import type { Db } from '../store/sqlite/open.js';

/** A unit of fetch work: a transaction, an address's history, or a block. */
export interface FrontierNode {
  seq: number;
  kind: 'tx' | 'address' | 'block';
  key: string;
  depth: number;
  cursor: string | null;
}

export interface FetchJob {
  id: number;
  state: 'running' | 'done';
  admitted: number;
  /** True when the job was found in the store rather than created now. */
  resumed: boolean;
}

/**
 * The persisted plan of a fetch: its job row and breadth-first frontier, in the store beside the data, so that
 * a fetch killed at any point resumes where its last commit left it. Callers wrap each step in a store
 * transaction together with the data it wrote.
 */
export function createFrontier(db: Db) {
  const s = {
    job: db.prepare('SELECT id, state, admitted FROM fetch_jobs WHERE spec = ?'),
    jobInsert: db.prepare('INSERT INTO fetch_jobs (chain, spec, state, admitted, started_at) VALUES (?, ?, ?, 0, ?)'),
    jobAdmit: db.prepare('UPDATE fetch_jobs SET admitted = admitted + ? WHERE id = ?'),
    jobDone: db.prepare("UPDATE fetch_jobs SET state = 'done', finished_at = ? WHERE id = ?"),
    nextSeq: db.prepare('SELECT coalesce(max(seq), 0) + 1 FROM fetch_frontier WHERE job_id = ?').pluck(),
    insert: db.prepare("INSERT INTO fetch_frontier (job_id, seq, kind, key, depth, cursor, state) VALUES (?, ?, ?, ?, ?, NULL, 'pending') ON CONFLICT DO NOTHING"),
    pending: db.prepare(`SELECT seq, kind, key, depth, cursor FROM fetch_frontier WHERE job_id = ? AND state = 'pending'
      ORDER BY depth, seq LIMIT ?`),
    counts: db.prepare('SELECT state, count(*) AS n FROM fetch_frontier WHERE job_id = ? GROUP BY state'),
    setState: db.prepare('UPDATE fetch_frontier SET state = ? WHERE job_id = ? AND seq = ?'),
    setCursor: db.prepare('UPDATE fetch_frontier SET cursor = ? WHERE job_id = ? AND seq = ?'),
    missing: db.prepare("SELECT kind, key FROM fetch_frontier WHERE job_id = ? AND state = 'missing' ORDER BY seq"),
    blockDone: db.prepare(`SELECT 1 FROM fetch_frontier f JOIN fetch_jobs j ON j.id = f.job_id
      WHERE j.chain = ? AND f.kind = 'block' AND f.key = ? AND f.state = 'done' LIMIT 1`).pluck(),
  };
  return {
    /** Find the job of this plan, or start it. */
    openJob(chain: string, spec: string, at: string): FetchJob {
      const row = s.job.get(spec) as { id: number; state: 'running' | 'done'; admitted: number } | undefined;
      if (row) return { ...row, resumed: true };
      const id = Number(s.jobInsert.run(chain, spec, 'running', at).lastInsertRowid);
      return { id, state: 'running', admitted: 0, resumed: false };
    },
    /** Append nodes (those already in the frontier are skipped); returns how many were new. */
    enqueue(jobId: number, nodes: { kind: FrontierNode['kind']; key: string; depth: number }[]): number {
      let seq = s.nextSeq.get(jobId) as number;
      let added = 0;
      for (const n of nodes) {
        if (s.insert.run(jobId, seq, n.kind, n.key, n.depth).changes > 0) {
          seq++;
          added++;
        }
      }
      return added;
    },
    admit: (jobId: number, n: number) => void s.jobAdmit.run(n, jobId),
    pending: (jobId: number, limit: number) => s.pending.all(jobId, limit) as FrontierNode[],
    counts(jobId: number): Record<'pending' | 'done' | 'missing', number> {
      const out = { pending: 0, done: 0, missing: 0 };
      for (const r of s.counts.all(jobId) as { state: keyof typeof out; n: number }[]) out[r.state] = r.n;
      return out;
    },
    settle: (jobId: number, seq: number, state: 'done' | 'missing') => void s.setState.run(state, jobId, seq),
    setCursor: (jobId: number, seq: number, cursor: string) => void s.setCursor.run(cursor, jobId, seq),
    finish: (jobId: number, at: string) => void s.jobDone.run(at, jobId),
    missing: (jobId: number) => s.missing.all(jobId) as { kind: string; key: string }[],
    /** True when some fetch of this chain completed this block already. */
    blockFetched: (chain: string, key: string) => s.blockDone.get(chain, key) !== undefined,
  };
}

export type Frontier = ReturnType<typeof createFrontier>;
