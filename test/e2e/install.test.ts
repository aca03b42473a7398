import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleDir, markdownBlocks } from '../support/examples.js';

/*
 * The README's one documented way to get `ctrace` as a command and the packages into a project of your own, run as
 * written: its ```sh install lines in order, and each ```js block whose first line names its file (`// ../x/y.mjs`)
 * written there first. npm's global prefix is a temporary directory, so `npm install -g` installs nothing on the
 * machine; the tarballs' third-party dependencies come from the npm registry, and better-sqlite3 compiles in each of
 * the two installs (about a minute each on 2 cores).
 */

const blocks = markdownBlocks('README.md');
const steps = blocks.filter((b) => /^sh\b.*\binstall\b/.test(b.info) || (/^(js|mjs)$/.test(b.info) && /^\/\/ \S+\.m?js$/.test(b.lines[0] ?? '')));

describe('ctrace installs as a command, and the packages install in a new directory', () => {
  it('behavior: the README documents it in marked blocks', () => {
    const lines = steps.flatMap((b) => b.lines).join('\n');
    expect(lines).toMatch(/bash scripts\/pack\.sh/);
    expect(lines).toMatch(/npm install -g /);
    expect(lines).toMatch(/^ctrace --version/m);
    expect(steps.some((b) => b.info === 'js')).toBe(true);
  });

  it('default: the install lines run as written on a fresh clone; `ctrace` is on PATH and the library script runs', () => {
    const { cwd } = exampleDir();
    const prefix = join(dirname(cwd), 'npm-global');
    mkdirSync(prefix);
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_prefix: prefix, PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, NO_COLOR: '1', JOBS: 'max', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
    if (existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
    delete env.CRYPTOTRACE_DB;
    // Before the install, the machine's PATH does not give this ctrace (the prefix is empty).
    expect(existsSync(join(prefix, 'bin', 'ctrace'))).toBe(false);
    const outputs: string[] = [];
    for (const b of steps) {
      if (!b.info.startsWith('sh')) {
        const file = resolve(cwd, b.lines[0].slice(3).trim());
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${b.lines.join('\n')}\n`);
        continue;
      }
      for (const line of b.lines.filter((l) => l.trim() && !l.trim().startsWith('#'))) {
        const r = spawnSync('bash', ['-c', line], { cwd, env, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
        expect(r.status, `README.md:${b.line}: ${line}\n${r.stderr}`).toBe(0);
        outputs.push(r.stdout);
      }
    }
    expect(existsSync(join(prefix, 'bin', 'ctrace'))).toBe(true);
    expect(outputs.join('')).toMatch(/^0\.1\.0$/m);
    expect(outputs.at(-1)).toBe([
      "the market's payout: 3 inputs, 5 outputs, fee 7030 sat",
      '400 transactions in case.db',
      'fifo [ 100000000n, 200000000n ]',
      'haircut [ 60000000n, 234000000n ]',
      '',
    ].join('\n'));
    // The installed command runs a whole investigation, from anywhere.
    const demo = spawnSync('ctrace', ['demo', '--out', join(dirname(cwd), 'demo')], { cwd: dirname(cwd), env, encoding: 'utf8', timeout: 120_000 });
    expect(demo.status, demo.stderr).toBe(0);
    expect(existsSync(join(dirname(cwd), 'demo', 'report.html'))).toBe(true);
  }, 900_000);
});
