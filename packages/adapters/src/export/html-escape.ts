/** Characters that have no business in a report: C0 and C1 controls (ANSI escapes start with one), except tab and newline. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Untrusted text (labels, token names, addresses) as HTML text or a quoted attribute value: markup is shown, never run.
 * @example escapeHtml('"><img src=x onerror=alert(1)>') // '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
 */
export function escapeHtml(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A value as JSON that is safe inside an inline `<script type="application/json">`: `<`, `>`, `&`, U+2028 and
 * U+2029 become \u escapes, so no `</script>` or `<!--` can end or change the element, and JSON.parse gives the value back.
 * @example scriptJson({ name: '</script>' }) // '{"name":"\\u003c/script\\u003e"}'
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Untrusted text for the graph's data: control characters removed (the JSON itself is escaped by {@link scriptJson}). */
export function cleanText(text: string): string {
  return text.replace(CONTROL, '');
}
