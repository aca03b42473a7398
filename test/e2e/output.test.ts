import { afterEach, describe, expect, test } from 'vitest';
import { colorSupported, configureOutput, csv, formatAmount, formatId, paint, safeText, table } from '../../packages/cli/src/output.js';
import { ctrace, tempDir } from '../support/cli.js';
import { hostileEvmStore } from './stores.js';

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
