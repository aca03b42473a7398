/** Waits so that calls start no more often than `rps` per second; 0 or Infinity means no limit. */
export type RateGate = () => Promise<void>;

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A request-rate gate: each call reserves the next free slot, `1000 / rps` ms after the previous one, and
 * waits for it. Slots are reserved in call order, so bursts are spread evenly.
 * @param rps requests per second (fractions allowed: 0.5 is one every two seconds)
 * @example const gate = createRateGate(5); await gate(); fetch(...)
 */
export function createRateGate(rps: number | undefined, sleep: (ms: number) => Promise<void> = sleepMs, now: () => number = Date.now): RateGate {
  if (rps === undefined || !(rps > 0) || !Number.isFinite(rps)) return async () => {};
  const interval = 1000 / rps;
  let next = 0;
  return async () => {
    const t = now();
    const slot = Math.max(t, next);
    next = slot + interval;
    if (slot > t) await sleep(slot - t);
  };
}

/**
 * The delay before retry `attempt` (1-based): exponential from `baseMs`, capped at `maxMs`, with "equal jitter"
 * (half fixed, half random) so that clients that failed together do not retry together.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * The delay a `Retry-After` header asks for, in ms: delta-seconds or an HTTP date (RFC 9110 10.2.3).
 * @returns null when the header is absent or unreadable
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
