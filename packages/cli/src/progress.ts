import type { Io } from './output.js';

export interface ProgressBar {
  update(done: number, total: number, note?: string): void;
  done(): void;
}

/** A one-line progress bar on stderr, drawn only on a TTY; silent elsewhere so pipes and CI logs stay clean. */
export function progressBar(io: Io, label: string): ProgressBar {
  if (!io.isTTY) return { update() {}, done() {} };
  let drawn = false;
  let last = 0;
  return {
    update(done, total, note = '') {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const width = 30;
      const fill = Math.round(frac * width);
      io.err(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${note}\u001b[K`);
      drawn = true;
    },
    done() {
      if (drawn) io.err('\r\u001b[K');
    },
  };
}
