import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CtraceError } from '@cryptotrace/core';

export interface BrowserBundles {
  graphology: string;
  sigma: string;
}

let cached: BrowserBundles | undefined;

/**
 * The browser builds of graphology and sigma.js, read from node_modules, to inline in a report (no CDN, works offline).
 * @throws CtraceError INTERNAL when the packages are missing from the installation
 */
export function browserBundles(): BrowserBundles {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const read = (pkg: string, file: string) => {
    try {
      return readFileSync(join(dirname(require.resolve(pkg)), file), 'utf8');
    } catch (cause) {
      throw new CtraceError('INTERNAL', `the browser build of ${pkg} (${file}) is missing: reinstall cryptotrace`, { cause });
    }
  };
  const bundles = { graphology: read('graphology', 'graphology.umd.min.js'), sigma: read('sigma', 'sigma.min.js') };
  // An inline script ends at the first "</script"; the builds have none, and we refuse rather than break the page.
  for (const [name, code] of Object.entries(bundles)) {
    if (/<\/script|<!--/i.test(code)) throw new CtraceError('INTERNAL', `the browser build of ${name} cannot be inlined (contains </script or <!--)`);
  }
  cached = bundles;
  return bundles;
}
