/** One side of a comparison: what we measured for our code, or for its reference. */
export interface Side {
  label: string;
  /** The headline figure (a rate: higher is better). */
  value: number;
  unit: string;
  seconds: number | null;
  maxRssMb: number;
  load: [number, number];
  details: Record<string, unknown>;
}

export type Status = 'ok' | 'below target' | 'not yet available' | 'skipped' | 'failed';

export interface ResultRow {
  id: string;
  stage: string;
  /** Transactions (or requests) in the case. */
  size: number | null;
  subject: Side | null;
  reference: Side | null;
  /** subject.value / reference.value: the headline. */
  ratio: number | null;
  target: number | null;
  status: Status;
  note?: string;
  /**
   * False when the same case at another size is not the same work (the taint walk follows a case, and the market's
   * case differs from chain to chain): such rows stay out of the growth table.
   */
  growth?: boolean;
}

/** Numbers measured before the speed work, kept to show what changed. */
export interface BeforeRow {
  value: number;
  unit: string;
  seconds: number | null;
  /** CPU seconds (user + system) of the same work: less swayed by the machine's load than wall time. */
  cpuSeconds?: number;
  maxRssMb: number;
  ratio: number | null;
  /** The run's 1- and 5-minute load average, when the record's rows ran under different loads. */
  load?: [number, number];
  /** Set when the case did not finish then: what happened. */
  failed?: string;
}

export interface BeforeRecord {
  measuredAt: string;
  commit: string;
  load: [number, number, number];
  note: string;
  rows: Record<string, BeforeRow>;
}

export interface Growth {
  stage: string;
  points: { size: number; seconds: number; maxRssMb: number; usPerTx: number }[];
  /** log(t2/t1) / log(n2/n1) between consecutive sizes: 1 is linear. */
  timeExponents: number[];
  memoryExponents: number[];
}

export interface Machine {
  nproc: number;
  cpu: string;
  memTotalGb: number;
  memAvailableGb: number;
  node: string;
  platform: string;
}

export interface BenchResults {
  version: 1;
  startedAt: string;
  finishedAt: string;
  mode: string;
  sizes: number[];
  machine: Machine;
  load: { start: [number, number, number]; end: [number, number, number] };
  commit: string;
  rows: ResultRow[];
  growth: Growth[];
  /** Earlier measurements of the same cases, newest last; a row's before is the newest record holding it. */
  before: BeforeRecord[] | null;
}

/** bench/before.json as stored: one record (older files) or a list. */
export function beforeRecords(json: unknown): BeforeRecord[] {
  return Array.isArray(json) ? (json as BeforeRecord[]) : [json as BeforeRecord];
}
