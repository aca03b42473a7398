/** A sleep that a block announcement ends early: the watch's `sleep`, woken by `wake()`. */
export interface BlockWaker {
  /** End the current sleep now, or the next one at once when none is under way (a block came mid-catch-up). */
  wake(): void;
  /** Wait `ms`, or less: until `wake()` or `shouldStop()` (checked every 100 ms). */
  sleep(ms: number, shouldStop: () => boolean): Promise<void>;
}

/**
 * The waker between a source's block announcements and `runWatch`'s sleep: polling stays the fallback, the
 * announcements only cut the wait short.
 * @example const w = createBlockWaker(); runWatch(store, source, { ..., sleep: w.sleep }); announcer.onBlock = w.wake
 */
export function createBlockWaker(): BlockWaker {
  let pending = false;
  let cut: (() => void) | undefined;
  return {
    wake() {
      pending = true;
      cut?.();
    },
    async sleep(ms, shouldStop) {
      for (let t = 0; t < ms && !pending && !shouldStop(); t += 100) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            cut = undefined;
            resolve();
          };
          const timer = setTimeout(done, Math.min(100, ms - t));
          cut = done;
        });
      }
      pending = false;
    },
  };
}
