import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * `../shared` beside the repository: real mainnet data, labels and specs, read in place, never copied.
 * `CTRACE_TEST_SHARED=<dir>` points elsewhere (a missing directory runs the suite as a fresh clone without it).
 */
export const SHARED = process.env.CTRACE_TEST_SHARED ? resolve(process.env.CTRACE_TEST_SHARED) : resolve(ROOT, '../shared');

/** The path of a file under ../shared. */
export function shared(rel: string): string {
  return join(SHARED, rel);
}

/** True when ../shared/<rel> exists; tests use it with `describe.skipIf` and name the path in their title. */
export function hasShared(rel: string): boolean {
  return existsSync(shared(rel));
}

/** A title that says which shared path a block of tests needs, so a skip names what is missing. */
export function needs(rel: string, title: string): string {
  return hasShared(rel) ? title : `${title} (skipped: ../shared/${rel} is absent)`;
}
