/**
 * Published precision and coverage of the change rules on the real chain: Möser and Narayanan, "Resurrecting
 * Address Clustering in Bitcoin" (FC 2022), on 35,257,428 transactions with known change. The calibration target
 * of the generated worlds: precision within ±5 points, coverage within ±10.
 */
export const PUBLISHED_CHANGE: Record<string, { precision: number; coverage: number; note?: string }> = {
  'optimal-change': { precision: 0.921, coverage: 0.332 },
  'address-type': { precision: 0.886, coverage: 0.268 },
  'fresh-address': { precision: 0.96, coverage: 0.573 },
  'round-value': { precision: 0.987, coverage: 0.38, note: 'd = 4 (d = 2: 97.6 % / 47.9 %, d = 6: 97.7 % / 21.6 %)' },
  'locktime-fingerprint': { precision: 0.988, coverage: 0.312 },
  'version-fingerprint': { precision: 0.983, coverage: 0.25 },
  'rbf-fingerprint': { precision: 0.963, coverage: 0.078 },
  'segwit-fingerprint': { precision: 0.892, coverage: 0.214 },
  'multisig-fingerprint': { precision: 0.996, coverage: 0.14 },
};
