/** Characters that have no business in a report: C0 and C1 controls except tab and newline, bidi overrides. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** Whole terminal escape sequences (CSI such as colours, OSC such as window titles), removed before the controls. */
const ESCAPES = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;

/**
 * Untrusted text (labels, token names, addresses) as HTML text or a quoted attribute value: markup is shown, never run.
 * @example escapeHtml('"><img src=x onerror=alert(1)>') // '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
 */
export function escapeHtml(text: string): string {
  return text
    .replace(ESCAPES, '')
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
  return text.replace(ESCAPES, '').replace(CONTROL, '');
}
