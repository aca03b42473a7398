import type { ParsedLabels } from '@cryptotrace/core';
import { makeLabel, malformed } from './record.js';

/** The chain of an explorer's label dump, from the explorer directory name in its path. */
const EXPLORER_CHAINS: Record<string, string> = {
  etherscan: 'ethereum', bscscan: 'bsc', polygonscan: 'polygon', optimism: 'optimism', arbiscan: 'arbitrum', avalanche: 'avalanche', ftmscan: 'evm-250', basescan: 'base',
};

/** The chain an etherscan-labels path is for (`data/bscscan/combined/...` -> bsc), or null. */
export function explorerChain(path: string): string | null {
  for (const part of path.split(/[\\/]/).reverse()) if (EXPLORER_CHAINS[part]) return EXPLORER_CHAINS[part];
  return null;
}

/**
 * Parse an etherscan-labels dump (`{ "0x..": { "name": "...", "labels": ["exchange", ...] } }`): one label per
 * explorer tag, the tag as the category, the name kept as data, source `etherscan-labels:<chain>`, confidence 60.
 * @param file for messages
 * @param text the JSON
 * @param chain the chain the explorer serves
 * @throws CtraceError INPUT_MALFORMED when the JSON is not such a mapping
 * @example parseEtherscanLabels('combinedAccountLabels.json', text, 'ethereum')
 */
export function parseEtherscanLabels(file: string, text: string, chain: string): ParsedLabels {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw malformed(file, `not JSON (${(err as Error).message})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw malformed(file, 'not an object of address -> { name, labels }');
  const out: ParsedLabels = { format: 'etherscan-labels', labels: [], read: 0, refused: [] };
  for (const [address, entry] of Object.entries(data as Record<string, unknown>)) {
    out.read++;
    const at = `entry ${out.read}`;
    const e = entry as { name?: unknown; labels?: unknown };
    if (!e || typeof e !== 'object' || !Array.isArray(e.labels) || e.labels.some((l) => typeof l !== 'string')) {
      throw malformed(file, `${at}: expected { "name": ..., "labels": [strings] }`);
    }
    const tags = (e.labels as string[]).length ? (e.labels as string[]) : ['unknown'];
    let refused: string | null = null;
    for (const tag of tags) {
      const label = makeLabel(chain, chain, address, { category: tag, source: `etherscan-labels:${chain}`, confidence: 60, name: typeof e.name === 'string' ? e.name : null });
      if (typeof label === 'string') refused = label;
      else out.labels.push(label);
    }
    if (refused) out.refused.push({ at, reason: refused });
  }
  return out;
}
