import { type SqliteStore, type WalletRow, type WalletVectors, accountWalletFeatures, walletFeatures } from '@cryptotrace/adapters';
import { type AccountTransaction, type ChainKind, CtraceError, type LoadedModel, featureSpecs, getChain } from '@cryptotrace/core';
import { readAccountTransactions } from '@cryptotrace/fixtures';

/** The label a seed-labelled account world gives an entity kind (as its labels.csv does: scam, phishing, ...). */
export const ACCOUNT_SEED_CATEGORY: Record<string, string> = { aggregator: 'scam', drainer: 'phishing', mixer: 'mixing_service', exchange: 'exchange', dex: 'dex' };

/** Write a generated account world's records (`transactions.ndjson`) into a store, 5,000 transactions a batch. */
export function writeAccountWorld(store: SqliteStore, dir: string): void {
  let batch: AccountTransaction[] = [];
  const flush = () => {
    if (batch.length) store.write({ provenance: { source: 'generator', locator: dir, format: 'model-ndjson', at: '1970-01-01T00:00:00.000Z' }, accountTransactions: batch });
    batch = [];
  };
  for (const tx of readAccountTransactions(dir)) {
    batch.push(tx);
    if (batch.length === 5000) flush();
  }
  flush();
}

/** The chain kind of a stored chain: utxo or account. */
export function chainKindOf(chain: string): ChainKind {
  return getChain(chain).kind;
}

/** Every wallet's feature vector, by the chain kind's feature set (WALLET_FEATURES or ACCOUNT_FEATURES). */
export function walletRows(store: SqliteStore, chain: string): WalletRow[] {
  return chainKindOf(chain) === 'account' ? accountWalletFeatures(store, chain) : walletFeatures(store, chain);
}

/** Wallets scored in groups of this many: a group's rows, not the store's, are held at once. */
const PREDICT_GROUP = 10_000;

/** The model's probability of each wallet asked (every wallet by default), in that order. */
export function predictWallets(model: LoadedModel, vectors: WalletVectors, wallets?: readonly number[]): Float64Array {
  const n = wallets?.length ?? vectors.count;
  const p = new Float64Array(n);
  for (let from = 0; from < n; from += PREDICT_GROUP) {
    const group: number[][] = [];
    for (let k = from; k < Math.min(n, from + PREDICT_GROUP); k++) group.push(vectors.vector(wallets ? wallets[k] : k));
    p.set(model.predict(group), from);
  }
  return p;
}

/**
 * Refuse a model of the other chain kind than the data it is to read.
 * @throws CtraceError USAGE naming both kinds
 */
export function checkModelChainKind(model: LoadedModel, kind: ChainKind, what: string): void {
  if (model.file.chainKind !== kind) throw new CtraceError('USAGE', `the model reads ${model.file.chainKind} wallets (feature set ${model.file.featureSet}) but ${what} is ${kind === 'account' ? 'an account' : 'a utxo'} chain: train a model on ${kind} worlds with ctrace model train`);
}

/** Where the direct exposure feature sits in a row of the chain kind (the exposure ranking's score). */
export function exposureIndex(kind: ChainKind): number {
  return featureSpecs(kind).findIndex((f) => f.name === 'exposure-direct');
}
