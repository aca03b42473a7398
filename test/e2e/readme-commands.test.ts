import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { ROOT } from '../support/shared.js';

describe("the README's two commands", () => {
  it('default: `npm run demo` sets up and runs the demo offline, writing the report', () => {
    const out = join(tempDir(), 'demo');
    const r = spawnSync('npm', ['run', '--silent', 'demo', '--', '--out', out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 600_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/cryptotrace demo/);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(join(out, 'case.gexf'))).toBe(true);
  }, 600_000);

  it('behavior: the README names both commands and CI runs the test one', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/npm run demo/);
    expect(readme).toMatch(/npm test/);
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
