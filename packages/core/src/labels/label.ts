/**
 * Address labels: who (or what) an address belongs to, according to a source. Labels from different sources are kept
 * side by side, never merged or overwritten; names and comments are untrusted text and stay data.
 */

/** One label as the store keeps it. */
export interface Label {
  chain: string;
  /** Normalized for the chain (bech32 lower case, EIP-55 for EVM). */
  address: string;
  /** A lower-case category: `exchange`, `market`, `mixing_service`, `ransomware`, `sanctioned`, `scam`, ... */
  category: string;
  /** The real-world actor id the source names (GraphSense actor), or ''. */
  actor: string;
  /** Where the label came from: a dataset id (`ofac-sdn`, `graphsense:hydra.yaml`, ...). */
  source: string;
  /** 0-100: how far the source's claim can be trusted. */
  confidence: number;
  /** ISO date from which the label holds, or null for always. */
  validFrom: string | null;
  /** A display name from the source: untrusted text. */
  name: string | null;
}

/** A stored label, with when it was imported. */
export interface StoredLabel extends Label {
  importedAt: string;
}

/** A record a label file held that could not become a label, and why. */
export interface RefusedLabel {
  /** Line number, record index or key inside the file. */
  at: string;
  reason: string;
}

/** What parsing one label file gave: the labels, how many records were read, and those refused. */
export interface ParsedLabels {
  format: string;
  labels: Label[];
  read: number;
  refused: RefusedLabel[];
}

/**
 * Categories of services that hold many people's money: taint stops at them by default, and exposure stops at the first
 * one (the convention of the commercial tools).
 */
export const SERVICE_CATEGORIES: readonly string[] = [
  'exchange', 'wallet_service', 'service', 'gambling', 'payment_processor', 'miner', 'mining_pool', 'defi', 'dex', 'bridge', 'market', 'mixing_service',
];

/** Categories that mark money as illicit or high-risk when they are a source. */
export const ILLICIT_CATEGORIES: readonly string[] = [
  'sanctioned', 'ransomware', 'market', 'darknet_market', 'scam', 'phishing', 'hack', 'heist', 'theft', 'mixing_service', 'terrorism', 'extortion', 'ponzi_scheme', 'sextortion',
];

/**
 * A category as stored: lower case, words joined by `_`, only [a-z0-9_]; '' when nothing is left.
 * @example normalizeCategory('Phish / Hack') // 'phish_hack'
 */
export function normalizeCategory(text: string): string {
  return text.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);
}

/** True when a label is in force at `at` (ISO date or time); a label without validFrom always is. */
export function labelActiveAt(label: Pick<Label, 'validFrom'>, at?: string): boolean {
  return label.validFrom === null || at === undefined || label.validFrom.slice(0, 10) <= at.slice(0, 10);
}
