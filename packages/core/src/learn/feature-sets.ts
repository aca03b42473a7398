import type { ChainKind } from '../model/chain.js';
import { ACCOUNT_FEATURES } from './account-features.js';
import { type FeatureSpec, WALLET_FEATURES } from './features.js';

/** The name a model file gives its feature set: UTXO wallets (WALLET_FEATURES) or account wallets (ACCOUNT_FEATURES). */
export const FEATURE_SETS: Record<ChainKind, string> = { utxo: 'utxo-wallet', account: 'account-wallet' };

/**
 * The features the learned identifier computes for a chain kind, in the order of a row's vector.
 * @example featureSpecs('account') === ACCOUNT_FEATURES
 */
export function featureSpecs(kind: ChainKind): readonly FeatureSpec[] {
  return kind === 'account' ? ACCOUNT_FEATURES : WALLET_FEATURES;
}

/** The feature names a model of a chain kind reads: all of them, or those not read from labels. */
export function featureNamesOf(kind: ChainKind, withLabels: boolean): string[] {
  return featureSpecs(kind).filter((f) => withLabels || !f.fromLabels).map((f) => f.name);
}
