import { bitcoinjs } from './bitcoinjs.js';

/** The merkle root of a block from its txids (display hex, as Core prints them). */
export function merkleRootOf(txids: string[]): string {
  if (txids.length === 0) return '0'.repeat(64);
  let level: Buffer[] = txids.map((id) => Buffer.from(id, 'hex').reverse());
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1] ?? level[i];
      next.push(Buffer.from(bitcoinjs().crypto.hash256(Buffer.concat([level[i], right]))));
    }
    level = next;
  }
  return Buffer.from(level[0]).reverse().toString('hex');
}
