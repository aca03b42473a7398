/**
 * The clock of the raw-insert references: each call of `insert` (one SQLite transaction of rows built beforehand) is
 * timed, wall and CPU, and nothing else is.
 */
export interface TimedInserts {
  run(): void;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

export function timedInserts(insert: () => void): TimedInserts {
  let seconds = 0;
  let cpuSeconds = 0;
  return {
    run() {
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      insert();
      const c = process.cpuUsage(c0);
      cpuSeconds += (c.user + c.system) / 1e6;
      seconds += Number(process.hrtime.bigint() - t0) / 1e9;
    },
    get seconds() {
      return seconds;
    },
    get cpuSeconds() {
      return cpuSeconds;
    },
  };
}
