import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../packages/adapters/dist/store/sqlite/open.js';

/** The repository's root (bench/dist/ is two levels below it). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// The bench is not a workspace package: it takes better-sqlite3 from the adapters package, the very copy the store uses.
const requireFromAdapters = createRequire(`${ROOT}packages/adapters/package.json`);

/** better-sqlite3's Database constructor, the same module the case store opens files with. */
export const Database = requireFromAdapters('better-sqlite3') as new (path: string) => Db;
export type { Db };
