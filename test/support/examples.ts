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

/** A fenced block of a markdown file: its info string (`sh`, `sh setup`, `js`), its first line number, its lines. */
export interface MarkdownBlock {
  info: string;
  line: number;
  lines: string[];
}

/** Every fenced block of a markdown file of the repository, in order. */
export function markdownBlocks(file: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  let open: MarkdownBlock | null = null;
  for (const [n, raw] of readFileSync(join(ROOT, file), 'utf8').split('\n').entries()) {
    const fence = /^```(.*)$/.exec(raw.trim());
    if (fence && !open) open = { info: fence[1].trim(), line: n + 1, lines: [] };
    else if (fence && open) {
      blocks.push(open);
      open = null;
    } else if (open) open.lines.push(raw);
  }
  return blocks;
}

/**
 * The examples of a markdown file: every line of its fenced ```sh blocks, in order (blank and comment-only lines
 * left out). Two kinds of block are left to their own tests: ```sh setup (the set-up commands `npm run demo` and
 * `npm test`: test/e2e/readme-commands.test.ts) and ```sh install (packing and installing the packages:
 * test/e2e/install.test.ts).
 */
export function markdownExamples(file: string): Example[] {
  return markdownBlocks(file)
    .filter((b) => /^(sh|bash|shell)\b/.test(b.info) && !/\b(setup|install)\b/.test(b.info))
    .flatMap((b) => b.lines.map((l, k) => [l, b.line + 1 + k] as const))
    .filter(([l]) => l.trim() && !l.trim().startsWith('#'))
    .map(([l, n]) => parseLine(`${file}:${n}`, l));
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
 * A directory that looks like a fresh clone's root to an example, after the set-up command: the top-level folders
 * the examples read (fixtures, docs, scripts, packages with their builds) linked in, nothing else; and a bin directory with `ctrace` (the built CLI,
 * standing in for the one `npm install -g` of the packed packages installs) to put first on PATH.
 */
export function exampleDir(): { cwd: string; bin: string } {
  const base = tempDir('ctrace-examples-');
  const cwd = join(base, 'clone');
  mkdirSync(cwd);
  for (const entry of ['fixtures', 'docs', 'scripts', 'packages']) if (existsSync(join(ROOT, entry))) symlinkSync(join(ROOT, entry), join(cwd, entry));
  const bin = join(base, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'ctrace'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'ctrace'), 0o755);
  return { cwd, bin };
}
