/**
 * The features of a wallet (a cluster, or an address in no cluster) that the learned identifier reads, in the
 * order of a model's feature vector. Values are computed by streaming over a store (the adapters'
 * `walletFeatures`); amounts are log10 of satoshi + 1 so that a feature does not scale with the chain's money.
 */
export interface FeatureSpec {
  name: string;
  definition: string;
  unit: string;
  /** Read from labels: a model trained `--labels without` leaves these out. */
  fromLabels?: boolean;
}

export const WALLET_FEATURES: readonly FeatureSpec[] = [
  { name: 'txs', definition: 'transactions that touch the wallet (as input or output), log10(n + 1)', unit: 'log10 count' },
  { name: 'lifetime', definition: 'blocks between its first and last transaction', unit: 'blocks' },
  { name: 'burstiness', definition: '(σ − μ) / (σ + μ) of the gaps between its transactions, in blocks (−1 regular, 0 random, 1 bursty)', unit: 'ratio' },
  { name: 'addresses', definition: 'addresses of the wallet, log10(n + 1)', unit: 'log10 count' },
  { name: 'script-types', definition: 'distinct script types among its addresses', unit: 'count' },
  { name: 'received', definition: 'value received, log10(sat + 1)', unit: 'log10 sat' },
  { name: 'sent', definition: 'value spent, log10(sat + 1)', unit: 'log10 sat' },
  { name: 'turnover', definition: 'value spent / value received (0 when nothing received)', unit: 'ratio' },
  { name: 'mean-receipt', definition: 'mean of log10(sat) over the outputs it received', unit: 'log10 sat' },
  { name: 'receipts', definition: 'outputs received, log10(n + 1)', unit: 'log10 count' },
  { name: 'round-receipts', definition: 'share of outputs received whose value is a multiple of 100,000 sat', unit: 'share' },
  { name: 'fan-in', definition: 'mean inputs of the transactions it spends in', unit: 'inputs' },
  { name: 'fan-out', definition: 'mean spendable outputs of the transactions it spends in', unit: 'outputs' },
  { name: 'consolidations', definition: 'share of its spends with at least 3 inputs and 1 output', unit: 'share' },
  { name: 'batches', definition: 'share of its spends with at least 5 outputs', unit: 'share' },
  { name: 'peels', definition: 'share of its spends with 1 input and 2 outputs, one back to itself', unit: 'share' },
  { name: 'reuse', definition: 'share of its receipts to an address that had received before', unit: 'share' },
  { name: 'payers', definition: 'distinct wallets that paid it, log10(n + 1) (counted up to 1,000)', unit: 'log10 count' },
  { name: 'payees', definition: 'distinct wallets it paid, log10(n + 1) (counted up to 1,000)', unit: 'log10 count' },
  { name: 'payer-size', definition: 'mean log10 address count of the wallets that paid it', unit: 'log10 count' },
  { name: 'coinjoin-share', definition: 'share of its transactions that a CoinJoin detector flagged', unit: 'share' },
  { name: 'fresh-receipts', definition: 'share of its receipts in the first block the address appears', unit: 'share' },
  { name: 'exposure-direct', definition: 'share of value received straight from wallets labelled with an illicit category', unit: 'share', fromLabels: true },
  { name: 'exposure-hops', definition: '1 / the fewest payments from a wallet labelled with an illicit category to this one (0 beyond 6, or none)', unit: '1/hops', fromLabels: true },
  { name: 'exposure-to-service', definition: 'share of value spent straight to wallets labelled as a service (exchange, ...)', unit: 'share', fromLabels: true },
];

/** The feature names a model reads: all of them, or those not read from labels. */
export function featureNames(withLabels: boolean): string[] {
  return WALLET_FEATURES.filter((f) => withLabels || !f.fromLabels).map((f) => f.name);
}
