/**
 * The features of a wallet (a cluster, or an address in no cluster) that the learned identifier reads, in the
 * order of a model's feature vector. Values are computed by streaming over a store (the adapters'
 * `walletFeatures`); amounts are log10 of satoshi + 1 so that a feature does not scale with the chain's money.
 */
export interface FeatureSpec {
  name: string;
  /** What it describes: activity, value, structure, counterparties, graph or exposure. */
  group: 'activity' | 'value' | 'structure' | 'counterparties' | 'graph' | 'exposure';
  definition: string;
  unit: string;
  /** Read from labels: a model trained `--labels without` leaves these out. */
  fromLabels?: boolean;
}

export const WALLET_FEATURES: readonly FeatureSpec[] = [
  // activity
  { name: 'txs', group: 'activity', definition: 'transactions that touch the wallet (as input or output), log10(n + 1)', unit: 'log10 count' },
  { name: 'lifetime', group: 'activity', definition: 'blocks between its first and last transaction', unit: 'blocks' },
  { name: 'burstiness', group: 'activity', definition: '(σ − μ) / (σ + μ) of the gaps between its transactions, in blocks (−1 regular, 0 random, 1 bursty)', unit: 'ratio' },
  { name: 'hour-concentration', group: 'activity', definition: 'length of the mean of its transactions\' hour-of-day angles (block time, UTC): 0 spread over the day, 1 all in one hour (so 1 for a wallet of one transaction)', unit: 'ratio' },
  { name: 'weekday-concentration', group: 'activity', definition: 'the same over the day of the week (block time, UTC)', unit: 'ratio' },
  { name: 'weekend-share', group: 'activity', definition: 'share of its transactions in blocks of a Saturday or Sunday (UTC)', unit: 'share' },
  // value
  { name: 'received', group: 'value', definition: 'value received, log10(sat + 1)', unit: 'log10 sat' },
  { name: 'sent', group: 'value', definition: 'value spent, log10(sat + 1)', unit: 'log10 sat' },
  { name: 'turnover', group: 'value', definition: 'value spent / value received (0 when nothing received)', unit: 'ratio' },
  { name: 'mean-receipt', group: 'value', definition: 'mean of log10(sat + 1) over the outputs it received', unit: 'log10 sat' },
  { name: 'median-receipt', group: 'value', definition: 'median of log10(sat + 1) over the outputs it received', unit: 'log10 sat' },
  { name: 'receipts', group: 'value', definition: 'outputs received, log10(n + 1)', unit: 'log10 count' },
  { name: 'round-receipts', group: 'value', definition: 'share of outputs received whose value is a multiple of 100,000 sat', unit: 'share' },
  { name: 'round-usd-receipts', group: 'value', definition: 'share of outputs received within 1 % of a round dollar amount ($10, $20, $25, $50, $100, ...) at the month\'s BTC/USD (btcUsdAt; 0 before July 2010)', unit: 'share' },
  // structure
  { name: 'addresses', group: 'structure', definition: 'addresses of the wallet, log10(n + 1)', unit: 'log10 count' },
  { name: 'script-types', group: 'structure', definition: 'distinct script types among the outputs it received', unit: 'count' },
  { name: 'fan-in', group: 'structure', definition: 'mean inputs of the transactions it spends in', unit: 'inputs' },
  { name: 'fan-out', group: 'structure', definition: 'mean spendable outputs of the transactions it spends in', unit: 'outputs' },
  { name: 'consolidations', group: 'structure', definition: 'share of its spends with at least 3 inputs and 1 output', unit: 'share' },
  { name: 'batches', group: 'structure', definition: 'share of its spends with at least 5 outputs', unit: 'share' },
  { name: 'peels', group: 'structure', definition: 'share of its spends with 1 input and 2 outputs, one back to itself', unit: 'share' },
  { name: 'peel-length', group: 'structure', definition: 'the longest peel chain (transactions of 1 input and 2 outputs, each spending an output of the one before) its spends sit in, log10(n + 1)', unit: 'log10 hops' },
  { name: 'reuse', group: 'structure', definition: 'share of its receipts to an address that had received before', unit: 'share' },
  { name: 'fresh-receipts', group: 'structure', definition: 'share of its receipts in the first block the address appears', unit: 'share' },
  { name: 'self-change', group: 'structure', definition: 'share of its spends with an output back to the wallet (change kept in the wallet)', unit: 'share' },
  { name: 'change-to-input', group: 'structure', definition: 'share of its spends paying an output back to one of the spending addresses (change to a reused address)', unit: 'share' },
  // counterparties
  { name: 'payers', group: 'counterparties', definition: 'distinct wallets that paid it (its in-degree in the wallet graph), log10(n + 1)', unit: 'log10 count' },
  { name: 'payees', group: 'counterparties', definition: 'distinct wallets it paid (its out-degree), log10(n + 1)', unit: 'log10 count' },
  { name: 'payer-size', group: 'counterparties', definition: 'mean log10(addresses + 1) of the wallets that paid it', unit: 'log10 count' },
  { name: 'payee-size', group: 'counterparties', definition: 'mean log10(addresses + 1) of the wallets it paid', unit: 'log10 count' },
  { name: 'coinjoin-share', group: 'counterparties', definition: 'share of its transactions that a CoinJoin detector flagged (the clustering\'s coinjoin or ambiguous events)', unit: 'share' },
  { name: 'coinjoin-value', group: 'counterparties', definition: 'share of its value (received + spent) that went through flagged CoinJoins', unit: 'share' },
  // graph
  { name: 'pagerank', group: 'graph', definition: 'value-weighted PageRank on the wallet graph (payer → payee, CoinJoins left out), log10(rank × wallets): 0 is the average wallet', unit: 'log10 ratio' },
  { name: 'pagerank-reverse', group: 'graph', definition: 'the same PageRank on the reversed graph (where money comes from), log10(rank × wallets)', unit: 'log10 ratio' },
  // exposure (labels)
  { name: 'exposure-direct', group: 'exposure', definition: 'share of value received straight from wallets labelled with an illicit category', unit: 'share', fromLabels: true },
  { name: 'exposure-hops', group: 'exposure', definition: '1 / the fewest payments from a wallet labelled with an illicit category to this one (0 beyond 6, or none)', unit: '1/hops', fromLabels: true },
  { name: 'exposure-to-service', group: 'exposure', definition: 'share of value spent straight to wallets labelled as a service (exchange, ...)', unit: 'share', fromLabels: true },
  { name: 'exposure-flow', group: 'exposure', definition: 'share of value received that descends from wallets labelled with an illicit category, shared by value at every payment as the haircut policy shares taint, 6 payments deep over the wallet graph (order in time ignored; a wallet labelled as a service passes nothing on)', unit: 'share', fromLabels: true },
  { name: 'mixer-value', group: 'counterparties', definition: 'share of its value (received + spent) paid by or to wallets labelled mixing_service', unit: 'share', fromLabels: true },
  { name: 'exchange-value', group: 'counterparties', definition: 'share of its value (received + spent) paid by or to wallets labelled exchange', unit: 'share', fromLabels: true },
];
