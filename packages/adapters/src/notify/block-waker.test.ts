import { describe, expect, it } from 'vitest';
import { createBlockWaker } from '@cryptotrace/adapters';

describe('createBlockWaker', () => {
  // An hour's sleep: only the wake can end it within the test's timeout.
  const HOUR = 3_600_000;
  it('default: wake() ends a sleep under way', async () => {
    const w = createBlockWaker();
    const slept = w.sleep(HOUR, () => false);
    setTimeout(() => w.wake(), 10);
    await slept;
  });
  it('behavior: a wake with no sleep under way ends the next one at once, and only that one', async () => {
    const w = createBlockWaker();
    w.wake();
    w.wake();
    await w.sleep(HOUR, () => false);
    let stop = false;
    const second = w.sleep(HOUR, () => stop).then(() => 'slept');
    const first = await Promise.race([second, new Promise((r) => setTimeout(() => r('still asleep'), 300))]);
    stop = true;
    expect(first).toBe('still asleep');
    expect(await second).toBe('slept');
  });
});
