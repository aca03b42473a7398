import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/shared.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });
}

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);

describe('package layers: core <- adapters <- cli', () => {
  it('behavior: the core does no I/O and knows no SQL, node, chain library or upper package', () => {
    const forbidden = /^(node:|fs$|net$|http|better-sqlite3|ethers|bitcoinjs-lib|tiny-secp256k1|@cryptotrace\/(adapters|cli|fixtures))/;
    const offenders = sources(join(ROOT, 'packages/core/src')).flatMap((f) =>
      importsOf(f).filter((i) => forbidden.test(i)).map((i) => `${relative(ROOT, f)} imports ${i}`),
    );
    expect(offenders).toEqual([]);
    const deps = Object.keys(JSON.parse(readFileSync(join(ROOT, 'packages/core/package.json'), 'utf8')).dependencies ?? {});
    expect(deps.filter((d) => forbidden.test(d))).toEqual([]);
  });

  it('behavior: the adapters never import the CLI', () => {
    const offenders = sources(join(ROOT, 'packages/adapters/src')).flatMap((f) =>
      importsOf(f).filter((i) => i.startsWith('@cryptotrace/cli')).map((i) => `${relative(ROOT, f)} imports ${i}`),
    );
    expect(offenders).toEqual([]);
  });
});
