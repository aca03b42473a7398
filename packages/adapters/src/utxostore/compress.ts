import { CtraceError } from '@cryptotrace/core';
import { secp256k1 } from '../bitcoin/bitcoinjs.js';

/**
 * Bitcoin Core's (and btcd's) compact encodings of UTXO-set entries: the MSB base-128 VARINT, the amount
 * compression of `CompressAmount` and the script compression of `CScriptCompressor` (src/compressor.cpp).
 */

/** A cursor over bytes. */
export interface Reader {
  bytes: Uint8Array;
  pos: number;
}

/** Core's VARINT: base 128, most significant group first, each continuation adding one. */
export function readVarInt(r: Reader): bigint {
  let n = 0n;
  for (;;) {
    if (r.pos >= r.bytes.length) throw truncated(r);
    const ch = r.bytes[r.pos++];
    n = (n << 7n) | BigInt(ch & 0x7f);
    if ((ch & 0x80) === 0) return n;
    n += 1n;
  }
}

/**
 * Undo `CompressAmount`: the exponent of 10 in the low decimal digit, the last non-zero digit in base 9.
 * @example decompressAmount(9n) // 100000000n (1 BTC)
 */
export function decompressAmount(x: bigint): bigint {
  if (x === 0n) return 0n;
  x -= 1n;
  let e = x % 10n;
  x /= 10n;
  let n: bigint;
  if (e < 9n) {
    const d = (x % 9n) + 1n;
    x /= 9n;
    n = x * 10n + d;
  } else {
    n = x + 1n;
  }
  for (; e > 0n; e--) n *= 10n;
  return n;
}

/** Undo `CScriptCompressor`: special forms 0-5 (P2PKH, P2SH, P2PK compressed and uncompressed), else raw. */
export function readCompressedScript(r: Reader): Uint8Array {
  const size = Number(readVarInt(r));
  const take = (n: number) => {
    if (r.pos + n > r.bytes.length) throw truncated(r);
    const out = r.bytes.subarray(r.pos, r.pos + n);
    r.pos += n;
    return out;
  };
  switch (size) {
    case 0:
      return Uint8Array.of(0x76, 0xa9, 20, ...take(20), 0x88, 0xac);
    case 1:
      return Uint8Array.of(0xa9, 20, ...take(20), 0x87);
    case 2:
    case 3:
      return Uint8Array.of(33, size, ...take(32), 0xac);
    case 4:
    case 5: {
      const compressed = Uint8Array.of(size - 2, ...take(32));
      const full = secp256k1().pointCompress(compressed, false);
      return Uint8Array.of(65, ...full, 0xac);
    }
    default:
      return Uint8Array.from(take(size - 6));
  }
}

function truncated(r: Reader): CtraceError {
  return new CtraceError('INPUT_MALFORMED', `UTXO record truncated at byte ${r.pos}: the file is cut short or not a UTXO store`);
}
