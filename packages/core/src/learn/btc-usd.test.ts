import { describe, expect, it } from 'vitest';
import { btcUsdAt, isRoundUsd } from './btc-usd.js';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('btcUsdAt', () => {
  it('default: the month of a block time, UTC', () => {
    expect(btcUsdAt(at('2019-08-15T00:00:00Z'))).toBe(10500);
    expect(btcUsdAt(at('2013-12-31T23:59:59Z'))).toBe(750);
    expect(btcUsdAt(at('2014-01-01T00:00:00Z'))).toBe(850);
  });
  it('args: before July 2010 there is no price; after the table the last month holds', () => {
    expect(btcUsdAt(at('2009-01-03T18:15:05Z'))).toBeNull();
    expect(btcUsdAt(at('2010-06-30T23:59:59Z'))).toBeNull();
    expect(btcUsdAt(at('2010-07-01T00:00:00Z'))).toBe(0.07);
    expect(btcUsdAt(at('2030-01-01T00:00:00Z'))).toBe(97000);
  });
});

describe('isRoundUsd', () => {
  it('valid: amounts within 1 % of $10, $20, $25, $50, $100, $250, $1,000 at the price', () => {
    for (const usd of [10, 20, 25, 50, 100, 250, 500, 1000, 2000]) expect(isRoundUsd(Math.round((usd / 10_000) * 1e8 * 1.005), 10_000), String(usd)).toBe(true);
  });
  it('invalid: amounts between round ones, and under $10', () => {
    for (const usd of [13, 37, 73, 140, 333, 777, 1500, 9]) expect(isRoundUsd(Math.round((usd / 10_000) * 1e8), 10_000), String(usd)).toBe(false);
  });
});
