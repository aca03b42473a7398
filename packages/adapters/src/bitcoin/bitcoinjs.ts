import { createRequire } from 'node:module';
import type * as Bitcoinjs from 'bitcoinjs-lib';
import type * as Secp256k1 from 'tiny-secp256k1';

// Loaded the first time a bech32 address, a P2PK or script id is made, an Esplora transaction re-serialized, a damaged
// block's proof of work checked or a point decompressed (wire bytes are read by wire.ts without it), not when the
// package is imported: every ctrace command imports it, and most (trace, export, cluster) never decode a byte.
// Together they cost each start of the CLI about a tenth of a second.
const require = createRequire(import.meta.url);
let lib: typeof Bitcoinjs | undefined;
let secp: typeof Secp256k1 | undefined;

/** bitcoinjs-lib (its CommonJS build, loaded on first use). */
export function bitcoinjs(): typeof Bitcoinjs {
  return (lib ??= require('bitcoinjs-lib') as typeof Bitcoinjs);
}

/** tiny-secp256k1 (its CommonJS build, loaded on first use). */
export function secp256k1(): typeof Secp256k1 {
  return (secp ??= require('tiny-secp256k1') as typeof Secp256k1);
}
