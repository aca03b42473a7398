import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, tempDir } from './cli.js';
import { ROOT } from './shared.js';

/**
 * An example a user is shown: a shell line from a fenced ```sh block of the README or docs/, or a `$ ctrace ...`
 * line of a command's --help. A trailing `# needs <what>` marks one that needs what the user brings (a node, an
 * API, their own files, Graphviz): it is not run, but its command must exist. `# exit <n>` gives the exit code it is
 * documented to give (default 0).
 */
export interface Example {
  where: string;
  line: string;
  needs: string | null;
  exit: number;
}

function parseLine(where: string, line: string): Example {
  const needs = /#\s*needs\b\s*(.*)$/.exec(line);
  const exit = /#\s*exit (\d+)\b/.exec(line);
  return { where, line: line.trim(), needs: needs ? needs[1].trim() || 'something' : null, exit: exit ? Number(exit[1]) : 0 };
}

/**
 * The examples of a markdown file: every line of its fenced ```sh blocks, in order (blank and comment-only lines
 * left out). A block opened as ```sh setup holds the set-up commands (`npm run demo`, `npm test`), which
 * test/e2e/readme-commands.test.ts runs; they are left out here.
 */
export function markdownExamples(file: string): Example[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Example[] = [];
  let inBlock: 'run' | 'skip' | null = null;
  for (const [n, raw] of text.split('\n').entries()) {
    const fence = /^```(.*)$/.exec(raw.trim());
    if (fence) {
      if (inBlock) inBlock = null;
      else inBlock = /^(sh|bash|shell)\b/.test(fence[1]) ? (/\bsetup\b/.test(fence[1]) ? 'skip' : 'run') : 'skip';
      continue;
    }
    if (inBlock !== 'run' || !raw.trim() || raw.trim().startsWith('#')) continue;
    out.push(parseLine(`${file}:${n + 1}`, raw));
  }
  return out;
}

/** The markdown files whose ```sh blocks are examples: the README and every file of docs/. */
export function documentedFiles(): string[] {
  return ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

/** The examples of a --help text: its `  $ ...` lines. */
export function helpExamples(where: string, help: string): Example[] {
  return help.split('\n').filter((l) => /^ {2}\$ /.test(l)).map((l) => parseLine(where, l.replace(/^ {2}\$ /, '')));
}

/**
 * The ctrace command path an example runs (`labels import`), without the global options; null when the line
 * runs no ctrace command.
 */
export function commandOf(line: string, groups: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const words = line.replace(/#.*$/, '').split(/\s+/).filter(Boolean);
  const at = words.indexOf('ctrace');
  if (at < 0) return null;
  const rest = words.slice(at + 1);
  while (rest.length && rest[0].startsWith('--')) {
    const flag = rest.shift()!;
    if (flag === '--db') rest.shift();
  }
  if (!rest.length) return [];
  return groups.get(rest[0])?.has(rest[1]) ? rest.slice(0, 2) : rest.slice(0, 1);
}

/**
 * A directory that looks like a fresh clone's root to an example: the repository's tracked top-level folders the
 * examples read (fixtures, docs, scripts) linked in, nothing else; and a bin directory with `ctrace` (the built CLI,
 * as `npm link` installs it) to put first on PATH.
 */
export function exampleDir(): { cwd: string; bin: string } {
  const base = tempDir('ctrace-examples-');
  const cwd = join(base, 'clone');
  mkdirSync(cwd);
  for (const entry of ['fixtures', 'docs', 'scripts']) if (existsSync(join(ROOT, entry))) symlinkSync(join(ROOT, entry), join(cwd, entry));
  const bin = join(base, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'ctrace'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'ctrace'), 0o755);
  return { cwd, bin };
}
