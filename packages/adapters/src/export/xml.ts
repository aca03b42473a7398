import { cleanText } from './html-escape.js';

/**
 * Text made safe for XML element content and double-quoted attributes: terminal escapes and control characters
 * (which XML 1.0 forbids) dropped, markup characters escaped.
 */
export function escapeXml(text: string): string {
  return cleanText(text)
    .replace(/[\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
