import type { FeatureSpec } from './features.js';

/**
 * The features of a wallet on an account (EVM) chain: an address, or the account cluster the store holds for it
 * (deposit-address, airdrop-multi, self-approval). Computed by streaming the chain's transactions (the adapters'
 * `accountWalletFeatures`). Amounts are log10 of base units + 1 (wei for the native coin, a token's own units for
 * tokens, summed over tokens); "transfers" are the top-level value, internal transfers and ERC-20 Transfer logs.
 * The model holds no Approval logs: an approval shows as a successful call to a token contract that moves nothing.
 */
export const ACCOUNT_FEATURES: readonly FeatureSpec[] = [
  { name: 'txs', group: 'activity', definition: 'transactions that touch the wallet (sender, recipient, or either side of a transfer), log10(n + 1)', unit: 'log10 count' },
  { name: 'lifetime', group: 'activity', definition: 'blocks between its first and last transaction', unit: 'blocks' },
  { name: 'burstiness', group: 'activity', definition: '(σ − μ) / (σ + μ) of the gaps between its transactions, in blocks (−1 regular, 0 random, 1 bursty)', unit: 'ratio' },
  { name: 'same-block', group: 'activity', definition: 'share of its transactions in a block where it already had one', unit: 'share' },
  { name: 'hour-concentration', group: 'activity', definition: 'length of the mean of its transactions\' hour-of-day angles (block time, UTC): 0 spread over the day, 1 all in one hour (so 1 for a wallet of one transaction)', unit: 'ratio' },
  { name: 'weekday-concentration', group: 'activity', definition: 'the same over the day of the week (block time, UTC)', unit: 'ratio' },
  { name: 'weekend-share', group: 'activity', definition: 'share of its transactions in blocks of a Saturday or Sunday (UTC)', unit: 'share' },
  { name: 'addresses', group: 'structure', definition: 'addresses of the wallet, log10(n + 1)', unit: 'log10 count' },
  { name: 'sent-txs', group: 'activity', definition: 'share of its transactions that it sent (its own nonce)', unit: 'share' },
  { name: 'native-received', group: 'value', definition: 'native value received, log10(wei + 1)', unit: 'log10 wei' },
  { name: 'native-sent', group: 'value', definition: 'native value sent, log10(wei + 1)', unit: 'log10 wei' },
  { name: 'native-turnover', group: 'value', definition: 'native value sent / received (0 when nothing received)', unit: 'ratio' },
  { name: 'token-received', group: 'value', definition: 'token value received, log10(units + 1), summed over tokens', unit: 'log10 token units' },
  { name: 'token-sent', group: 'value', definition: 'token value sent, log10(units + 1), summed over tokens', unit: 'log10 token units' },
  { name: 'token-turnover', group: 'value', definition: 'token value sent / received (0 when nothing received)', unit: 'ratio' },
  { name: 'token-share', group: 'value', definition: 'share of its transfers (in and out) that are token transfers', unit: 'share' },
  { name: 'distinct-tokens', group: 'value', definition: 'distinct token contracts it received or sent', unit: 'count' },
  { name: 'round-native', group: 'value', definition: 'share of native receipts that are a multiple of 10^17 wei (0.1 of an 18-decimal coin)', unit: 'share' },
  { name: 'round-token', group: 'value', definition: 'share of token receipts that are a multiple of 10^8 units (100 of a 6-decimal token)', unit: 'share' },
  { name: 'gas-topups', group: 'structure', definition: 'share of its native receipts of at most 0.02 of the coin (10^16·2 wei) followed by a token send within 2 blocks', unit: 'share' },
  { name: 'internal-received', group: 'value', definition: 'share of native value received through internal transfers (contract payouts: mixer withdrawals, batch withdrawals)', unit: 'share' },
  { name: 'fees', group: 'value', definition: 'gas fees it paid, log10(wei + 1)', unit: 'log10 wei' },
  { name: 'approvals', group: 'structure', definition: 'approve calls it sent (successful calls to a token contract that move nothing), log10(n + 1)', unit: 'log10 count' },
  { name: 'pulled-out', group: 'structure', definition: 'share of its token sends taken by another sender\'s transaction (a spender using its approval)', unit: 'share' },
  { name: 'pulls', group: 'structure', definition: 'share of its token receipts that it took from another owner in a transaction it sent (transferFrom)', unit: 'share' },
  { name: 'contract-calls', group: 'structure', definition: 'share of the transactions it sent that call a contract (a creation, a token, or a contract with internal transfers)', unit: 'share' },
  { name: 'creations', group: 'structure', definition: 'contracts it created', unit: 'count' },
  { name: 'payers', group: 'counterparties', definition: 'distinct wallets that sent it value, log10(n + 1) (counted up to 1,000)', unit: 'log10 count' },
  { name: 'payees', group: 'counterparties', definition: 'distinct wallets it sent value to, log10(n + 1) (counted up to 1,000)', unit: 'log10 count' },
  { name: 'degree', group: 'graph', definition: 'distinct counterparty wallets, either way, log10(n + 1) (counted up to 2,000)', unit: 'log10 count' },
  { name: 'fan-in', group: 'counterparties', definition: 'payers / (payers + payees): 1 only collects, 0 only pays out', unit: 'ratio' },
  { name: 'fan-out', group: 'structure', definition: 'mean transfers out of it per transaction it sends value in (batch payouts)', unit: 'transfers' },
  { name: 'one-off-payers', group: 'counterparties', definition: 'share of its payers that paid it once', unit: 'share' },
  { name: 'via-exchange', group: 'exposure', definition: 'share of its transfers (in and out) whose counterparty wallet is labelled exchange', unit: 'share', fromLabels: true },
  { name: 'exposure-direct', group: 'exposure', definition: 'the larger, over native and tokens, of the share of value received straight from wallets labelled with an illicit category', unit: 'share', fromLabels: true },
  { name: 'exposure-hops', group: 'exposure', definition: '1 / the fewest transfers from a wallet labelled with an illicit category to this one, over the payment graph whatever their order in time (0 beyond 6, or none)', unit: '1/hops', fromLabels: true },
  { name: 'exposure-to-service', group: 'exposure', definition: 'the larger, over native and tokens, of the share of value sent straight to wallets labelled as a service (exchange, ...)', unit: 'share', fromLabels: true },
];
