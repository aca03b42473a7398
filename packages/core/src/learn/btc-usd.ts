/**
 * BTC/USD by month, for the feature that asks whether an amount was typed in dollars. A store holds no price, so
 * the price of a block is read from this table by the block's time (UTC month).
 *
 * Where the numbers come from: approximate monthly levels of the public BTC/USD history (Mt. Gox until 2013,
 * then the CoinDesk BPI and CoinMarketCap monthly series), rounded to two significant figures and written down
 * from that public record, not downloaded (nothing here may download). They are within about 10-20 % of the
 * month's average: good enough to say that 0.0105 BTC was about $100 in August 2019, not to price a day. Before
 * July 2010 there was no market price (null); after the last month the last value is used.
 */
const FIRST_YEAR = 2010;
/** One row a year from 2010, twelve months each (null: no market yet). */
const MONTHLY: readonly (readonly (number | null)[])[] = [
  [null, null, null, null, null, null, 0.07, 0.07, 0.06, 0.1, 0.2, 0.25],
  [0.3, 0.9, 0.8, 1.5, 7, 17, 14, 10, 5, 3.5, 2.5, 3.5],
  [6, 5, 5, 5, 5, 6, 8, 10, 11, 11, 11, 13],
  [15, 26, 50, 120, 120, 100, 90, 110, 130, 160, 500, 750],
  [850, 600, 550, 450, 500, 600, 620, 500, 450, 360, 370, 330],
  [230, 240, 260, 230, 240, 240, 280, 240, 230, 260, 350, 430],
  [410, 400, 410, 430, 460, 640, 660, 580, 610, 640, 720, 820],
  [900, 1050, 1100, 1250, 1900, 2600, 2500, 4000, 4000, 5200, 8000, 15000],
  [12000, 9000, 9000, 8000, 8500, 6800, 7000, 6600, 6600, 6500, 5500, 3700],
  [3600, 3700, 3900, 5000, 7000, 9500, 10500, 10500, 9500, 8300, 8300, 7300],
  [8300, 9800, 6500, 7000, 9200, 9500, 9600, 11700, 10700, 11900, 16000, 22000],
  [34000, 46000, 55000, 57000, 45000, 35000, 34000, 46000, 46000, 57000, 60000, 50000],
  [40000, 40000, 42000, 42000, 31000, 23000, 21000, 22000, 19500, 19500, 18000, 17000],
  [20000, 23500, 25000, 29000, 27500, 27500, 30000, 28000, 26000, 30000, 36500, 42000],
  [42500, 50000, 67000, 65000, 64000, 65000, 61000, 61000, 60000, 65000, 80000, 97000],
];

/**
 * BTC/USD in the UTC month of a time, from the table above.
 * @param unixSeconds a block's time
 * @returns dollars per bitcoin, or null before July 2010
 * @example btcUsdAt(1_565_000_000) // 10500 (August 2019)
 */
export function btcUsdAt(unixSeconds: number): number | null {
  const d = new Date(unixSeconds * 1000);
  const row = d.getUTCFullYear() - FIRST_YEAR;
  if (row < 0) return null;
  if (row >= MONTHLY.length) return MONTHLY[MONTHLY.length - 1][11];
  return MONTHLY[row][d.getUTCMonth()];
}

/** Round dollar amounts: 1, 2, 2.5 and 5 times a power of ten, from $10. */
const MANTISSAS = [1, 2, 2.5, 5, 10];

/**
 * Whether an amount is within `tolerance` (relative) of a round dollar amount ($10, $20, $25, $50, $100, ...) at
 * a price. With a monthly price the tolerance has to be wide, so this says "probably typed in dollars", no more.
 * @example isRoundUsd(1_000_000, 10_000) // true: 0.01 BTC at $10,000 is $100
 */
export function isRoundUsd(sat: number, usdPerBtc: number, tolerance = 0.01): boolean {
  const usd = (sat / 1e8) * usdPerBtc;
  if (!(usd >= 10 * (1 - tolerance))) return false;
  const scale = 10 ** Math.floor(Math.log10(usd));
  return MANTISSAS.some((m) => Math.abs(usd / (m * scale) - 1) <= tolerance);
}
