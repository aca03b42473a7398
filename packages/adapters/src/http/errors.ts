import { CtraceError, type ErrorCode } from '@cryptotrace/core';

/** Why a request to a source failed. */
export type SourceFault = 'timeout' | 'network' | 'status' | 'rate-limited' | 'truncated' | 'json' | 'not-found' | 'rpc' | 'inconsistent' | 'too-large' | 'interrupted';

/**
 * An error from a remote source: the code (SOURCE_UNREACHABLE, SOURCE_INVALID, NOT_FOUND), the source and the
 * request it was answering, both with secrets removed, and the HTTP status where there was one.
 */
export class SourceError extends CtraceError {
  readonly source: string;
  readonly request: string;
  readonly fault: SourceFault;
  readonly status: number | undefined;
  readonly attempts: number;
  /** The wait a 429 or 503 asked for (Retry-After), in ms. */
  readonly retryAfterMs: number | null;

  constructor(code: ErrorCode, fault: SourceFault, source: string, request: string, what: string, options: { status?: number; attempts?: number; retryAfterMs?: number | null; cause?: unknown } = {}) {
    super(code, `${source}: ${request}: ${what}`, { cause: options.cause });
    this.name = 'SourceError';
    this.source = source;
    this.request = request;
    this.fault = fault;
    this.status = options.status;
    this.attempts = options.attempts ?? 1;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** True for errors worth another attempt: timeouts, refused or dropped connections, truncated bodies, 429 and 5xx. */
export function isRetryable(err: unknown): boolean {
  return err instanceof SourceError && (err.fault === 'timeout' || err.fault === 'network' || err.fault === 'truncated' || err.fault === 'rate-limited' || (err.fault === 'status' && ((err.status ?? 0) >= 500 || err.status === 408)));
}

/**
 * Rewrite a decoder's INPUT_* error as a SOURCE_INVALID one that names the source and the request: the answer
 * was inconsistent, and nothing of it is stored.
 */
export function asSourceInvalid(err: unknown, source: string, request: string): unknown {
  if (err instanceof SourceError || !(err instanceof CtraceError)) return err;
  if (!err.code.startsWith('INPUT_') && err.code !== 'TXID_INVALID' && err.code !== 'ADDRESS_INVALID') return err;
  return new SourceError('SOURCE_INVALID', 'inconsistent', source, request, `rejected its answer: ${err.shortMessage}`, { cause: err });
}
