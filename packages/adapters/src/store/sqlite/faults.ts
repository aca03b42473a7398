import { CtraceError } from '@cryptotrace/core';

/** The busy timeout of every store connection, ms: $CTRACE_BUSY_TIMEOUT_MS, or 5,000. */
export function busyTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.CTRACE_BUSY_TIMEOUT_MS);
  return env.CTRACE_BUSY_TIMEOUT_MS !== undefined && Number.isInteger(v) && v >= 0 ? v : 5000;
}

/** The SQLite (or file system) error code of an error, or null. */
function codeOf(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** True for SQLite's "another connection holds the lock" errors. */
export function isBusy(err: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(codeOf(err) ?? '');
}

/**
 * What an environment fault of the store means, as one line naming the store, the cause and what to do: a lock
 * held past the busy timeout, a read-only file or directory, a full disk, an I/O error, a corrupt file. SQLite
 * rolled the failed transaction back, so what was committed before stays and the store is consistent.
 * @param err an error thrown by better-sqlite3 or the file system
 * @param path the store's path
 * @returns the CtraceError (exit 4), or null when `err` is not such a fault
 */
export function storeFault(err: unknown, path: string): CtraceError | null {
  const code = codeOf(err);
  if (code === null) return null;
  const kept = 'what was committed before is kept';
  if (isBusy(err)) {
    return new CtraceError('STORE_BUSY', `${path} is locked by another process writing to it (an ingest, fetch, labels import or cluster run?) for longer than ${busyTimeoutMs()} ms; ${kept}: run this again when that one has finished, or wait longer with CTRACE_BUSY_TIMEOUT_MS=<ms>`, { cause: err });
  }
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    return new CtraceError('STORE_READONLY', `${path} is in a read-only directory, and SQLite must create the store's -wal and -shm files beside it even to read it: copy the store somewhere writable and point --db at the copy, or fix the directory's permissions`, { cause: err });
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new CtraceError('STORE_READONLY', `${path} cannot be written (read-only file, directory or file system; SQLite needs to write the store and its -wal and -shm files beside it); ${kept}: fix the permissions, or copy the store somewhere writable and point --db at the copy`, { cause: err });
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return new CtraceError('STORE_FULL', `${path}: the disk is full (or the store reached its size limit); the step that failed was rolled back and ${kept}: free some space and run the same command again`, { cause: err });
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new CtraceError('STORE_IO', `${path} is damaged (${code}): restore it from a copy, or start a new store with --db`, { cause: err });
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN') || code === 'EIO') {
    return new CtraceError('STORE_IO', `${path} cannot be read or written (${code}): check the disk and the permissions of the store and its directory; ${kept}`, { cause: err });
  }
  return null;
}
