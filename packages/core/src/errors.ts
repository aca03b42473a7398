/**
 * Errors of cryptotrace: one base class with a stable `code`, a one-line `shortMessage`
 * (what, where, what to do) and optional `details` and `cause`, modelled on viem's BaseError.
 * The CLI maps codes to exit codes; see {@link exitCodeOf}.
 */

/** Every error code any package of cryptotrace throws, with the CLI exit code it maps to. */
export const ERROR_CODES = {
  /** A command-line argument or option is wrong. */
  USAGE: 2,
  /** An input file is missing, unreadable, empty or a directory. */
  INPUT_UNREADABLE: 2,
  /** An input's bytes or text do not decode in the format it claims or was detected as. */
  INPUT_MALFORMED: 2,
  /** A block's merkle root or a transaction's id does not match its content. */
  INPUT_INCONSISTENT: 2,
  /** A chain name is not known. */
  CHAIN_UNKNOWN: 2,
  /** An address does not parse, or its checksum is wrong, for the chain named. */
  ADDRESS_INVALID: 2,
  /** A transaction id or hash is not 32 bytes of hex. */
  TXID_INVALID: 2,
  /** The store asked for does not exist, or the file is not a cryptotrace store. */
  STORE_INVALID: 4,
  /** The store was written by a newer cryptotrace than this one. */
  STORE_TOO_NEW: 4,
  /** Another process held the store's write lock for longer than the busy timeout. */
  STORE_BUSY: 4,
  /** A bulk load into the store stopped before it built its indexes: the same ingest run again finishes it. */
  STORE_INCOMPLETE: 4,
  /** The store (or its directory) cannot be written. */
  STORE_READONLY: 4,
  /** The disk, or the store's size limit, is full. */
  STORE_FULL: 4,
  /** The store cannot be read or written (an I/O error, a corrupt file). */
  STORE_IO: 4,
  /** A record asked for is not in the store. */
  NOT_FOUND: 1,
  /** A remote source could not be reached or kept failing. */
  SOURCE_UNREACHABLE: 3,
  /** A remote source answered with something malformed or inconsistent. */
  SOURCE_INVALID: 3,
  /** A taint policy did not conserve taint on a transaction (taint in != taint out + fee share): this is a bug. */
  TAINT_NOT_CONSERVED: 70,
  /** The user interrupted the command (Ctrl-C); what was committed stays. */
  INTERRUPTED: 130,
  /** An internal invariant broke: this is a bug. */
  INTERNAL: 70,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface CtraceErrorOptions {
  details?: string;
  cause?: unknown;
}

/** The base of every error cryptotrace throws on purpose. */
export class CtraceError extends Error {
  readonly code: ErrorCode;
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(code: ErrorCode, shortMessage: string, options: CtraceErrorOptions = {}) {
    super(options.details ? `${shortMessage}\n${options.details}` : shortMessage, { cause: options.cause });
    this.name = 'CtraceError';
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}

/** True when `err` is a {@link CtraceError}, optionally of the given code. */
export function isCtraceError(err: unknown, code?: ErrorCode): err is CtraceError {
  return err instanceof CtraceError && (code === undefined || err.code === code);
}

/** The process exit code for an error: its code's entry in {@link ERROR_CODES}, 70 for anything unexpected. */
export function exitCodeOf(err: unknown): number {
  return isCtraceError(err) ? ERROR_CODES[err.code] : ERROR_CODES.INTERNAL;
}
