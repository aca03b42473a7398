import pLimit from 'p-limit';
import { parseJsonExact } from '../formats/json.js';
import { attemptRequest, type HttpAnswer, interrupted } from './attempt.js';
import { SourceError, isRetryable } from './errors.js';
import { backoffDelay, createRateGate, parseRetryAfter } from './rate.js';
import { redactUrl, scrubSecrets, secretsOfUrl } from './redact.js';

export interface HttpClientOptions {
  /** The kind of source, for messages and provenance: `esplora`, `bitcoin-core-rpc`, `explorer-api`, ... */
  source: string;
  /** Base URL; request paths are resolved against it. It may carry `user:password@` (sent as Basic auth). */
  baseUrl: string;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Requests started per second (default: no limit). */
  rps?: number;
  /** Per-attempt timeout in ms, body included (default 30,000). */
  timeoutMs?: number;
  /** The largest answer body read, in bytes (default {@link DEFAULT_MAX_RESPONSE_BYTES}); a larger one fails at once. */
  maxResponseBytes?: number;
  /** Attempts after the first (default 4). */
  retries?: number;
  /** First backoff in ms, doubled each retry, with jitter (default 500; max 30,000). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** The longest Retry-After honoured, ms (default 120,000); a longer one fails the request at once. */
  maxRetryAfterMs?: number;
  /** Extra headers (an Authorization header is kept out of every message). */
  headers?: Record<string, string>;
  /** Other strings to keep out of every message (an API key passed in a body). */
  secrets?: string[];
  /** Aborted when the user interrupts (Ctrl-C): requests in flight and retry waits end at once with a SourceError INTERRUPTED. */
  signal?: AbortSignal;
  /** Called before each retry, for logs and progress. */
  onRetry?: (info: { request: string; attempt: number; delayMs: number; reason: string }) => void;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface RequestOptions {
  /** Statuses whose JSON body is an answer, not a failure (JSON-RPC servers answer errors with 500). */
  answerStatuses?: number[];
  /** How to parse the body (default: JSON with exact amounts, see parseJsonExact). */
  parse?: (text: string) => unknown;
  /** Told the size in bytes of the answer's body. */
  onSize?: (bytes: number) => void;
}

/** The default cap on one answer's body: 32 MiB (node sources that serve whole blocks raise it). */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** The default cap for nodes (Bitcoin Core, EVM JSON-RPC), whose verbose blocks and traces are larger: 512 MiB. */
export const NODE_MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

export interface HttpClient {
  readonly source: string;
  /** The base URL with secrets removed: safe for messages and provenance. */
  readonly locator: string;
  getJson(path: string, options?: RequestOptions): Promise<unknown>;
  getText(path: string, options?: RequestOptions): Promise<string>;
  postJson(path: string, body: unknown, options?: RequestOptions): Promise<unknown>;
  /** Remove this client's secrets from any text. */
  scrub(text: string): string;
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * An HTTP JSON client for chain sources on Node's fetch: p-limit concurrency, a requests-per-second gate,
 * per-attempt timeouts, retries with exponential backoff and jitter on 429, 5xx, timeouts and dropped
 * connections (honouring Retry-After), then one SourceError naming the source and the request. Bad JSON is
 * rejected at once. Secrets in the URL or headers never appear in messages or in `locator`.
 * @param options base URL, source kind and limits
 * @returns a client with getJson, getText and postJson
 * @throws SourceError SOURCE_UNREACHABLE (after the last retry), SOURCE_INVALID (bad JSON, truncated, 4xx), NOT_FOUND (404)
 * @example const c = createHttpClient({ source: 'esplora', baseUrl: 'https://blockstream.info/api/' }); await c.getJson('tx/<txid>')
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const base = new URL(options.baseUrl);
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const secrets = [...secretsOfUrl(options.baseUrl), ...(options.secrets ?? [])];
  if (base.username || base.password) {
    const user = decodeURIComponent(base.username);
    const pass = decodeURIComponent(base.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    base.username = '';
    base.password = '';
  }
  for (const [k, v] of Object.entries(headers)) if (/^(authorization|x-api-key|api-key|cookie)$/i.test(k)) secrets.push(v, v.replace(/^\w+\s+/, ''));
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const locator = redactUrl(options.baseUrl);
  const scrub = (t: string) => scrubSecrets(t, secrets);
  const limit = pLimit(options.concurrency ?? 4);
  const gate = createRateGate(options.rps, options.sleep ?? sleepMs);
  const sleep = options.sleep ?? sleepMs;
  const retries = options.retries ?? 4;
  const fetchFn = options.fetch ?? globalThis.fetch;

  async function send(method: 'GET' | 'POST', path: string, body: string | undefined, label: string, answerStatuses: number[]): Promise<HttpAnswer> {
    const url = new URL(path.replace(/^\//, ''), base).toString();
    const request = scrub(`${method} ${label}`);
    const signal = options.signal;
    for (let attempt = 0; ; attempt++) {
      let delay: number;
      let reason: string;
      if (signal?.aborted) throw interrupted(`${options.source} ${locator}`, request);
      try {
        await gate();
        const answer = await attemptRequest({ fetch: fetchFn, url, method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, body, timeoutMs: options.timeoutMs ?? 30_000, signal, maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, source: `${options.source} ${locator}`, request, scrub });
        if (answer.status >= 200 && answer.status < 300) return answer;
        // A JSON-RPC error comes as JSON; an HTML page from a proxy in front of the node is a plain HTTP failure.
        if (answerStatuses.includes(answer.status) && /^\s*[{[]/.test(answer.text)) return answer;
        throw statusError(answer, `${options.source} ${locator}`, request, scrub);
      } catch (err) {
        if (!isRetryable(err)) throw err;
        const e = err as SourceError;
        if (attempt >= retries) throw finalError(e, attempt + 1);
        const asked = e.retryAfterMs;
        if (asked !== null && asked > (options.maxRetryAfterMs ?? 120_000)) throw finalError(e, attempt + 1, `it asks to wait ${Math.round(asked / 1000)} s`);
        delay = asked ?? backoffDelay(attempt + 1, options.backoffMs ?? 500, options.maxBackoffMs ?? 30_000);
        reason = e.shortMessage;
      }
      options.onRetry?.({ request, attempt: attempt + 1, delayMs: delay, reason });
      await untilAborted(sleep(delay), signal);
    }
  }

  const parseWith = (answer: HttpAnswer, o: RequestOptions | undefined, request: string): unknown => {
    o?.onSize?.(answer.bytes);
    try {
      return (o?.parse ?? ((t: string) => parseJsonExact(t, 'answer')))(answer.text);
    } catch (cause) {
      const hint = answer.text.trim() === '' ? 'an empty answer' : `not valid JSON (${scrub(String((cause as Error).message ?? cause)).slice(0, 120)})`;
      throw new SourceError('SOURCE_INVALID', 'json', `${options.source} ${locator}`, scrub(request), `${hint}; nothing of it was stored`, { cause, status: answer.status });
    }
  };

  return {
    source: options.source,
    locator,
    scrub,
    getText: (path, o) => limit(async () => (await send('GET', path, undefined, redactUrl(path, { pathKeys: false }), o?.answerStatuses ?? [])).text),
    getJson: (path, o) => limit(async () => parseWith(await send('GET', path, undefined, redactUrl(path, { pathKeys: false }), o?.answerStatuses ?? []), o, `GET ${path}`)),
    postJson: (path, body, o) => limit(async () => {
      const label = `${redactUrl(path, { pathKeys: false })} ${describeBody(body)}`.trim();
      return parseWith(await send('POST', path, JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)), label, o?.answerStatuses ?? []), o, `POST ${label}`);
    }),
  };
}

/** Wait for `p`, or less when `signal` aborts first. */
function untilAborted(p: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p;
  return new Promise<void>((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void p.then(done);
  });
}

/** A short name for a request body: the JSON-RPC method and params, clipped. */
function describeBody(body: unknown): string {
  const b = body as { method?: unknown; params?: unknown };
  if (b && typeof b.method === 'string') return `${b.method}${Array.isArray(b.params) ? ` ${JSON.stringify(b.params).slice(0, 100)}` : ''}`;
  return '';
}

function statusError(answer: HttpAnswer, source: string, request: string, scrub: (t: string) => string): SourceError {
  const snippet = scrub(answer.text.replace(/\s+/g, ' ').trim().slice(0, 100));
  const says = snippet ? `: ${snippet}` : '';
  const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'));
  if (answer.status === 429) return new SourceError('SOURCE_UNREACHABLE', 'rate-limited', source, request, `rate-limited (HTTP 429)${says}`, { status: 429, retryAfterMs });
  if (answer.status === 408 || answer.status >= 500) return new SourceError('SOURCE_UNREACHABLE', 'status', source, request, `HTTP ${answer.status}${says}`, { status: answer.status, retryAfterMs });
  if (answer.status === 404) return new SourceError('NOT_FOUND', 'not-found', source, request, `not found (HTTP 404)${says}`, { status: 404 });
  const what = answer.status === 401 || answer.status === 403 ? 'refused: check the credentials or API key' : 'refused the request';
  return new SourceError('SOURCE_INVALID', 'status', source, request, `${what} (HTTP ${answer.status})${says}`, { status: answer.status });
}

function finalError(e: SourceError, attempts: number, extra?: string): SourceError {
  const what = e.shortMessage.slice(`${e.source}: ${e.request}: `.length);
  const code = e.fault === 'truncated' ? 'SOURCE_INVALID' : 'SOURCE_UNREACHABLE';
  const tail = extra ? `; ${extra}` : '';
  return new SourceError(code, e.fault, e.source, e.request, `${what}, after ${attempts} attempt${attempts === 1 ? '' : 's'}${tail}; what was fetched before is kept, run the command again to resume`, { status: e.status, attempts, cause: e });
}
