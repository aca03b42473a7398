import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { colorSupported, configureOutput, csv, formatAmount, formatId, paint, safeText, table } from '../../packages/cli/src/output.js';
import { ctrace, tempDir } from '../support/cli.js';
import { EVM, hostileEvmStore } from './stores.js';

const off = { color: false, baseUnits: false, full: false, csv: false };
afterEach(() => {
  configureOutput(off);
});

describe('output for people', () => {
  test('default: amounts in coin units; --base-units gives the exact integer', () => {
    const btc = { symbol: 'BTC', decimals: 8, kind: 'utxo' };
    expect(formatAmount(123456789012345678901n, btc)).toBe('1234567890123.45678901 BTC');
    configureOutput({ baseUnits: true });
    expect(formatAmount(123456789012345678901n, btc)).toBe('123456789012345678901 sat');
    expect(formatAmount(10n ** 18n, { symbol: 'ETH', decimals: 18, kind: 'account' })).toBe('1000000000000000000 wei');
  });

  test('default: addresses shortened; --full and --csv give them whole', () => {
    const a = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
    expect(formatId(a)).toBe('bc1qar0s…wf5mdq');
    expect(formatId('1BoatSLRHtKNngkdXEeobR76b53LETtpyT')).toBe('1BoatSLR…LETtpyT'.replace('LETtpyT', 'ETtpyT'));
    configureOutput({ full: true });
    expect(formatId(a)).toBe(a);
    configureOutput({ full: false, csv: true });
    expect(formatId(a)).toBe(a);
  });

  test('behavior: colour only when on, and tables align on what is visible', () => {
    expect(paint('red', 'x')).toBe('x');
    configureOutput({ color: true });
    expect(paint('red', 'x')).toBe('\u001b[31mx\u001b[39m');
    expect(table(['a', 'b'], [[paint('red', 'long cell'), '1'], ['s', '22']], [1])).toBe(
      `a           b\n---------  --\n\u001b[31mlong cell\u001b[39m   1\ns          22\n`,
    );
  });

  test('args: NO_COLOR, a pipe or TERM=dumb turn colour off', () => {
    expect(colorSupported({ isTTY: true }, {})).toBe(true);
    expect(colorSupported({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorSupported({ isTTY: false }, {})).toBe(false);
    expect(colorSupported({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  test('behavior: untrusted text loses terminal escapes whole, control characters and bidi overrides', () => {
    expect(safeText('\u001b[2J\u001b[31mEVIL\u001b[0m')).toBe('EVIL');
    expect(safeText('a\u001b]0;window title\u0007b')).toBe('ab');
    expect(safeText('pay\u202Eexe.txt\u0008\u0000')).toBe('payexe.txt');
  });
});

describe('output for programs', () => {
  test('default: CSV per RFC 4180 with formulas defused', () => {
    expect(csv(['address', 'label'], [['1A', 'plain'], ['1B', 'a "quoted", label'], ['1C', '=HYPERLINK("x")'], ['1D', '-1.5']])).toBe(
      'address,label\r\n1A,plain\r\n1B,"a ""quoted"", label"\r\n1C,"\'=HYPERLINK(""x"")"\r\n1D,-1.5\r\n',
    );
  });

  test('args: --csv turns a table into CSV through the binary', () => {
    const db = hostileEvmStore(tempDir('ctrace-csv-'));
    const text = ctrace(['--db', db, 'stats']);
    expect(text.stdout).toMatch(/^what +count\n-+ +-+\n/m);
    const r = ctrace(['--db', db, '--csv', 'stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^what,count\r\nblocks,0\r\ntransactions,2\r\n/m);
  });

  test('behavior: no colour codes in piped output, even with --json or --csv', () => {
    for (const args of [['--help'], ['demo', '--help'], ['--json', 'stats', '--db', '/nonexistent/y.db']]) {
      const r = ctrace(args, { env: { NO_COLOR: '' } });
      expect(r.stdout + r.stderr).not.toContain('\u001b[');
    }
  });
});

describe('CSV formula injection (OWASP): every CSV the CLI writes defuses spreadsheet triggers', () => {
  const ATTACKS = ["-1+cmd|' /C calc'!A0", '=HYPERLINK("x")', '+1+1', '@SUM(A1)', '\t=1', '\r=1', ' =1+1', '\u00a0-2+3', '\uff1d1+1', '-', '-5+5'];

  test('behavior: a cell starting with = + - @ TAB CR (or whitespace before them) gets a leading quote; plain numbers stay readable', () => {
    for (const a of ATTACKS) {
      const out = csv(['x'], [[a]]).split('\r\n')[1];
      expect(out.replace(/^"/, '').startsWith("'"), JSON.stringify(a)).toBe(true);
    }
    expect(csv(['n'], [['-5'], ['-0.25'], ['12'], ['0.5']])).toBe('n\r\n-5\r\n-0.25\r\n12\r\n0.5\r\n');
  });

  test('behavior: labels list, labels list --summary, labels show and suspects --export csv through the binary', () => {
    const dir = tempDir('ctrace-csv-');
    const db = hostileEvmStore(dir);
    const attack = "-1+cmd|' /C calc'!A0";
    writeFileSync(join(dir, 'evil.csv'), `chain,address,category,source,confidence,name\nethereum,${EVM.mule},scam,"${attack}",90,"${attack}"\n`);
    expect(ctrace(['--db', db, 'labels', 'import', join(dir, 'evil.csv'), '--at', '2026-01-01T00:00:00Z']).code).toBe(0);
    const outputs = [
      ctrace(['--db', db, '--csv', 'labels', 'list']),
      ctrace(['--db', db, '--csv', 'labels', 'list', '--summary']),
      ctrace(['--db', db, '--csv', 'labels', 'show', EVM.mule]),
      ctrace(['--db', db, 'suspects', '--source', EVM.shop, '--export', 'csv', '--as-of', '2026-01-01T00:00:00Z']),
    ];
    for (const [k, r] of outputs.entries()) {
      expect(r.code, r.stderr).toBe(0);
      // The attack text is there (suspects lists label categories, not names), but never at the start of a cell.
      if (k < 3) expect(r.stdout).toContain(`'${attack}`);
      const cells = r.stdout.split('\r\n').flatMap((line) => line.split(','));
      expect(cells.filter((c) => /^"?\s*[-=+@]/.test(c) && !/^-?\d+(\.\d+)?$/.test(c))).toEqual([]);
    }
  });
});
