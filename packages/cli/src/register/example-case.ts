/**
 * The case every `--help` example runs on: the small darknet-market world the repository ships
 * (fixtures/scenarios/darknet-market, bitcoin-regtest, 400 transactions) and its investigator's labels. From the
 * clone's root, `ctrace ingest` and `ctrace labels import` of the two files below make it (./cryptotrace.db).
 * An example that needs what a user has to bring (a node, an API, their own files, Graphviz) says so in a
 * `# needs ...` comment; test/e2e/examples.test.ts runs every other example as written.
 */
export const EXAMPLE_CASE = {
  blocks: 'fixtures/scenarios/darknet-market/blk00000.dat',
  labels: 'fixtures/scenarios/darknet-market/labels.csv',
  /** A market address, labelled darknet_market (seized server). */
  market: 'bcrt1qvxfn8p7qg4f5fprd9gd5q89c47k45lh7lksyyw',
  /** Another market address in the same cluster (multi-input). */
  market2: 'bcrt1qahujtcm7764gy7gr5e9gxplssryzrqel78heka',
  /** The market paying out (spends the market address). */
  payout: '3d06cbbf24607b2efe308617c67f5fa1199144dbb7586148aa6af3f899e18ed0',
  /** The payment into the market address, output 0. */
  deposit: '8866aff5cc8f04390ba71aba4534329adcb349e3b5a1092f877d6c10280dfe1e:0',
  /** An exchange address, labelled by two sources' attribution. */
  exchange: 'mi1VYk5Pte4iFQ6RUiqASWzWk25fDqQqSS',
} as const;

/** The line `ctrace --help` ends with: where the examples' case comes from. */
export const EXAMPLE_CASE_HELP = `
The examples run on the case the repository ships; from the clone's root:
  $ ctrace ingest ${EXAMPLE_CASE.blocks}
  $ ctrace labels import ${EXAMPLE_CASE.labels}
An example marked "# needs ..." needs what you bring: a node, an API, your own files, Graphviz.
`;
