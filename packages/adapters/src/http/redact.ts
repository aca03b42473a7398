/**
 * Secrets never leave the process: URLs are shown without their userinfo, without the values of query
 * parameters that look like credentials, and without path segments that look like API keys (Infura's
 * `/v3/<key>`, Alchemy's `/v2/<key>`). Everything a source prints or stores goes through here.
 */

const SECRET_PARAM = /(key|token|secret|pass|pwd|auth|sig|credential|session|jwt|bearer|private)/i;
const MASK = '***';

/** A path segment that looks like an API key: long, letters and digits mixed, not a 64-hex hash. */
function looksLikeKey(segment: string): boolean {
  if (segment.length < 20 || !/^[A-Za-z0-9_-]+$/.test(segment)) return false;
  if (/^(0x)?[0-9a-fA-F]{64}$/.test(segment)) return false;
  return /[0-9]/.test(segment) && /[A-Za-z]/.test(segment);
}

export interface RedactUrlOptions {
  /** Also mask path segments that look like API keys (default true; set false for request paths that carry txids and addresses). */
  pathKeys?: boolean;
}

/**
 * A URL with its secrets masked: userinfo becomes `***@`, credential-like query values and key-like path
 * segments become `***`. Text that is not a URL is returned masked of anything after `@`-style userinfo.
 * @param url the URL as the user gave it
 * @returns the URL safe to print, log and store
 * @example redactUrl('http://user:pw@node:8332/?apikey=abc') // 'http://***@node:8332/?apikey=***'
 */
export function redactUrl(url: string, { pathKeys = true }: RedactUrlOptions = {}): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(/\/\/[^/@\s]*@/, `//${MASK}@`);
  }
  const userinfo = u.username !== '' || u.password !== '';
  u.username = '';
  u.password = '';
  for (const name of [...u.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) u.searchParams.set(name, MASK);
  }
  if (pathKeys) u.pathname = u.pathname.split('/').map((s) => (looksLikeKey(s) ? MASK : s)).join('/');
  let text = u.toString().replace(/%2A%2A%2A/g, MASK);
  if (userinfo) text = text.replace('//', `//${MASK}@`);
  return text;
}

/**
 * Mask every occurrence of known secret strings (passwords, API keys, header values) in a text.
 * @param text any text that may quote a secret (an error from a library, a server's answer)
 * @param secrets the secrets to remove; empty and very short ones are ignored
 * @returns the text with each secret replaced by `***`
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue;
    out = out.split(s).join(MASK);
    const encoded = encodeURIComponent(s);
    if (encoded !== s) out = out.split(encoded).join(MASK);
  }
  return out;
}

/** The secrets a URL carries: its password, its username, credential-like query values and key-like path segments. */
export function secretsOfUrl(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const out = [decodeURIComponent(u.password), decodeURIComponent(u.username)];
  for (const [name, value] of u.searchParams) if (SECRET_PARAM.test(name)) out.push(value);
  for (const s of u.pathname.split('/')) if (looksLikeKey(s)) out.push(s);
  return out.filter((s) => s.length > 0);
}
