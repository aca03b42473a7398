import { SourceError } from './errors.js';

/** One HTTP exchange, as {@link attemptRequest} saw it. */
export interface HttpAnswer {
  status: number;
  text: string;
  headers: Headers;
  /** The body's size in bytes, as received. */
  bytes: number;
}

export interface AttemptParameters {
  fetch: typeof globalThis.fetch;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Aborts the request when the user interrupts (Ctrl-C): a SourceError INTERRUPTED. */
  signal?: AbortSignal;
  /** The largest body read; a longer one is refused (fault `too-large`) without reading the rest. */
  maxBytes: number;
  /** Source and request for error messages, secrets removed already. */
  source: string;
  request: string;
  /** Scrubs secrets out of texts that came from elsewhere (library errors, server answers). */
  scrub: (text: string) => string;
}

/**
 * Send one request and read its whole body within the timeout. A connection that drops mid-body, or a body
 * shorter than its Content-Length, is a `truncated` fault; no status is judged here.
 * @throws SourceError with fault `timeout`, `network` or `truncated`
 */
export async function attemptRequest(p: AttemptParameters): Promise<HttpAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), p.timeoutMs);
  const interrupt = () => controller.abort();
  p.signal?.addEventListener('abort', interrupt, { once: true });
  try {
    return await attempt(p, controller, timer);
  } finally {
    p.signal?.removeEventListener('abort', interrupt);
  }
}

async function attempt(p: AttemptParameters, controller: AbortController, timer: NodeJS.Timeout): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await p.fetch(p.url, { method: p.method, headers: p.headers, body: p.body, signal: controller.signal, redirect: 'follow' });
  } catch (cause) {
    clearTimeout(timer);
    if (p.signal?.aborted) throw interrupted(p.source, p.request);
    if (controller.signal.aborted) throw timeout(p, cause);
    throw new SourceError('SOURCE_UNREACHABLE', 'network', p.source, p.request, `cannot connect (${p.scrub(describe(cause))})`, { cause });
  }
  const declared = response.headers.get('content-length');
  let bytes: Uint8Array;
  try {
    if (declared !== null && Number(declared) > p.maxBytes) throw tooLarge(p, response.status, Number(declared));
    bytes = await readBody(response, p, controller);
  } catch (cause) {
    if (cause instanceof SourceError) throw cause;
    if (p.signal?.aborted) throw interrupted(p.source, p.request);
    if (controller.signal.aborted) throw timeout(p, cause);
    throw new SourceError('SOURCE_INVALID', 'truncated', p.source, p.request, `the answer was cut off mid-body (${p.scrub(describe(cause))})`, { cause, status: response.status });
  } finally {
    clearTimeout(timer);
    // What is left of a refused body is not read: the connection is dropped.
    if (!controller.signal.aborted) controller.abort();
  }
  if (declared !== null && !response.headers.get('content-encoding') && Number(declared) !== bytes.length) {
    throw new SourceError('SOURCE_INVALID', 'truncated', p.source, p.request, `the answer was truncated: ${bytes.length} of ${declared} bytes`, { status: response.status });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new SourceError('SOURCE_INVALID', 'json', p.source, p.request, 'the answer is not UTF-8 text', { cause, status: response.status });
  }
  return { status: response.status, text, headers: response.headers, bytes: bytes.length };
}

/** The whole body, read chunk by chunk so that no more than `maxBytes` is ever held. */
async function readBody(response: Response, p: AttemptParameters, controller: AbortController): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > p.maxBytes) {
      controller.abort();
      throw tooLarge(p, response.status, null);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(p: AttemptParameters, status: number, declared: number | null): SourceError {
  const size = declared === null ? 'more than' : `${declared} bytes, over`;
  return new SourceError('SOURCE_INVALID', 'too-large', p.source, p.request, `the answer is ${size} the limit of ${p.maxBytes} bytes (--max-response-mb raises it); nothing of it was stored`, { status });
}

/** The request was abandoned because the user interrupted the command. */
export function interrupted(source: string, request: string): SourceError {
  return new SourceError('INTERRUPTED', 'interrupted', source, request, 'interrupted (Ctrl-C); what was committed before is kept, run the command again to resume');
}

function timeout(p: AttemptParameters, cause: unknown): SourceError {
  return new SourceError('SOURCE_UNREACHABLE', 'timeout', p.source, p.request, `no complete answer within ${p.timeoutMs} ms`, { cause });
}

/** The useful part of a fetch failure: undici hides the reason (ECONNREFUSED, ...) in `cause`. */
function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const inner = e?.cause?.code ?? e?.cause?.message;
  return [e?.message ?? String(err), inner].filter(Boolean).join(': ');
}
