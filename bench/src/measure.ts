import { loadavg } from 'node:os';

/** What every case process reports about itself, next to its figures. */
export interface ProcessFacts {
  /** Peak resident set of this process, MB (getrusage ru_maxrss). */
  maxRssMb: number;
  /** The 1-minute load average when the case started and ended. */
  load: [number, number];
}

const loadAtStart = loadavg()[0];

/** Wall-clock seconds of a synchronous or asynchronous piece of work. */
export async function timed<T>(work: () => T | Promise<T>): Promise<{ seconds: number; cpuSeconds: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const value = await work();
  const c = process.cpuUsage(c0);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: (c.user + c.system) / 1e6, value };
}

/** The process's own accounting of its peak memory and the machine's load. */
export function processFacts(): ProcessFacts {
  return { maxRssMb: round(process.resourceUsage().maxRSS / 1024, 1), load: [round(loadAtStart, 2), round(loadavg()[0], 2)] };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
