import { hash } from 'node:crypto';

/** Double SHA-256 of the concatenation of `parts`, with Node's native one-shot hashing. */
export function hash256Of(...parts: Uint8Array[]): Buffer {
  const data = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  return hash('sha256', hash('sha256', data, 'buffer'), 'buffer');
}
