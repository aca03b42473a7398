import { join } from 'node:path';
import { openSqliteStore } from '@cryptotrace/adapters';
import { toChecksumAddress } from '@cryptotrace/core';
import { ctrace } from '../support/cli.js';
import { shared } from '../support/shared.js';

/** Mainnet blocks 1-255 (the early peel chain), read in place from ../shared. */
export const BTCD_BLOCKS = 'data/bitcoin/raw-blocks/btcd-blocks1-256.bz2';
/** The sender of block 170's payment and of the peel chain. */
export const PEEL_SENDER = '12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S';
export const BLOCK_170_TX = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';

/** A store of blocks 1-255 made by the binary itself. */
export function btcdStore(dir: string): string {
  const db = join(dir, 'btcd.db');
  const r = ctrace(['--db', db, 'ingest', shared(BTCD_BLOCKS)]);
  if (r.code !== 0) throw new Error(`ingest failed: ${r.stderr}`);
  return db;
}

/** Text that must stay text: markup, an event handler, terminal escapes. */
export const HOSTILE = {
  tokenName: '<script>window.__pwnedToken=1;alert("token")</script>',
  tokenSymbol: '\u001b[31mEVIL\u001b[0m<b>',
  label: '"><img src=x onerror="window.__pwnedLabel=1;alert(1)">',
  ansiLabel: '\u001b[2J\u001b[31mCLEARED\u001b]0;pwned\u0007',
};

const addr = (n: number) => toChecksumAddress(`0x${n.toString(16).padStart(40, '0')}`);
export const EVM = { payer: addr(0xa11ce), shop: addr(0xb0b), token: addr(0x70c3), mule: addr(0xcafe) };
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

/**
 * An ethereum store written through the adapters' store: a payment of a token whose name and symbol are hostile,
 * then native coin moved on, and labels carrying markup and terminal escapes (as a label file could).
 */
export function hostileEvmStore(dir: string): string {
  const db = join(dir, 'evm.db');
  const store = openSqliteStore(db, { create: true });
  const base = { chain: 'ethereum', blockHash: hash(0xb1), blockTime: 1_700_000_000, nonce: 0, fee: 21_000n, status: 'success' as const, contractAddress: null, internalTransfers: [] };
  store.write({
    provenance: { source: 'test', locator: 'hostile', format: 'model', at: '2026-01-01T00:00:00Z' },
    tokens: [{ chain: 'ethereum', address: EVM.token, name: HOSTILE.tokenName, symbol: HOSTILE.tokenSymbol, decimals: 6 }],
    accountTransactions: [
      { ...base, hash: hash(1), blockNumber: 100, position: 0, from: EVM.payer, to: EVM.token, value: 0n, tokenTransfers: [{ token: EVM.token, from: EVM.payer, to: EVM.shop, value: 2_500_000n, logIndex: 0 }] },
      { ...base, hash: hash(2), blockNumber: 101, position: 0, from: EVM.shop, to: EVM.mule, value: 10n ** 18n, tokenTransfers: [] },
    ],
  });
  const label = store.db.prepare('INSERT INTO labels (chain, address, category, actor, source, confidence, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  label.run('ethereum', EVM.shop, 'market', HOSTILE.label, 'test-labels.csv', 80, '2026-01-01T00:00:00Z');
  label.run('ethereum', EVM.mule, 'scam', HOSTILE.ansiLabel, 'test-labels.csv', 50, '2026-01-01T00:00:00Z');
  store.close();
  return db;
}
