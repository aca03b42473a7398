import { describe, expect, test } from 'vitest';
import { cleanText, escapeHtml, scriptJson } from './html-escape.js';

describe('escapeHtml', () => {
  test('default: markup and quotes become text', () => {
    expect(escapeHtml('"><img src=x onerror=alert(1)>')).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml("<script>a&b</script>'")).toBe('&lt;script&gt;a&amp;b&lt;/script&gt;&#39;');
  });
  test('behavior: terminal escapes go whole, controls and bidi overrides go', () => {
    expect(escapeHtml('\u001b[31mred\u001b[0m\u0000\u202e')).toBe('red');
    expect(cleanText('a\u001b]0;title\u0007b\u0007')).toBe('ab');
  });
});

describe('scriptJson', () => {
  test('default: nothing in it can end or change an inline script element, and it parses back', () => {
    const value = { name: '</script><script>alert(1)</script>', comment: '<!-- x -->', amp: 'a&b', ls: 'a\u2028b\u2029c' };
    const text = scriptJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
