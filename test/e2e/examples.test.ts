import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { ctrace } from '../support/cli.js';
import { type Example, commandOf, documentedFiles, exampleDir, helpExamples, markdownExamples } from '../support/examples.js';

/*
 * Every example a user is shown runs as written on a fresh clone, without ../shared: the fenced ```sh blocks of the
 * README and docs/ (new ones included: they are read from the files), and the examples of every --help. Each runs
 * in bash, in order, in a directory holding only what a clone ships, with `ctrace` on PATH; each must exit as
 * documented (0, or its `# exit <n>`), with no stack trace. An example marked `# needs <what>` (a node, an API, the
 * user's own files, Graphviz) is not run; its command must exist.
 */

const { buildProgram } = (await import('../../packages/cli/dist/cli.js')) as { buildProgram: (io: unknown, set: (c: number) => void) => Command };
const program = buildProgram({ out() {}, err() {}, isTTY: false }, () => {});
const groups = new Map(program.commands.filter((c) => c.commands.length > 0).map((c) => [c.name(), new Set(c.commands.map((s) => s.name()))]));
const paths = program.commands.flatMap((c) => [c.name(), ...c.commands.map((s) => `${c.name()} ${s.name()}`)]);

/** The examples of every --help, the top level's (the case they run on) first. */
function allHelpExamples(): Example[] {
  const top = helpExamples('ctrace --help', ctrace(['--help']).stdout);
  return [...top, ...paths.flatMap((p) => helpExamples(`ctrace ${p} --help`, ctrace([...p.split(' '), '--help']).stdout))];
}

function runAll(examples: Example[]): void {
  const { cwd, bin } = exampleDir();
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' };
  delete env.CRYPTOTRACE_DB;
  const failures: string[] = [];
  for (const ex of examples) {
    if (ex.needs) {
      const cmd = commandOf(ex.line, groups);
      if (cmd === null) continue;
      const h = ctrace([...cmd, '--help']);
      if (h.code !== 0) failures.push(`${ex.where}: ${ex.line}\n  names no ctrace command (${cmd.join(' ')})`);
      continue;
    }
    const r = spawnSync('bash', ['-c', ex.line], { cwd, env, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    const code = r.status ?? -1;
    if (code !== ex.exit || /\n\s+at .*\(.*:\d+:\d+\)/.test(r.stderr)) {
      failures.push(`${ex.where}: ${ex.line}\n  exit ${code}, documented ${ex.exit}\n  ${r.stderr.trim().split('\n').slice(0, 3).join('\n  ')}`);
    }
  }
  expect(failures, failures.join('\n')).toEqual([]);
}

describe('every example runs as written on a fresh clone', () => {
  const docs = documentedFiles().map((f) => [f, markdownExamples(f)] as const);
  let help: Example[];
  beforeAll(() => {
    help = allHelpExamples();
  });

  it('behavior: the README and docs/ mark their examples so that this test finds them', () => {
    const readme = docs.find(([f]) => f === 'README.md')![1];
    expect(readme.length).toBeGreaterThanOrEqual(5);
    expect(readme.some((e) => !e.needs && /^ctrace /.test(e.line))).toBe(true);
  });

  it('behavior: every command has --help examples, and most run on the shipped case', () => {
    expect(help.length).toBeGreaterThan(40);
    expect(help.filter((e) => !e.needs).length).toBeGreaterThan(help.length * 0.7);
    // Placeholders cannot run as written.
    expect(help.filter((e) => !e.needs && /<[a-z|:]+>|\.\.\./.test(e.line)).map((e) => e.line)).toEqual([]);
  });

  it('default: every --help example exits as documented', () => {
    runAll(help);
  }, 900_000);

  it.each(docs.filter(([, ex]) => ex.length > 0).map(([f]) => f))('default: every example of %s exits as documented', (file) => {
    const examples = docs.find(([f]) => f === file)![1];
    expect(examples.filter((e) => !e.needs && /<[a-z|:]+>/.test(e.line)).map((e) => e.line)).toEqual([]);
    runAll(examples);
  }, 900_000);
});

describe('the example extraction', () => {
  it('args: # needs and # exit are read from the line; a setup block is left out', () => {
    expect(helpExamples('h', 'Examples:\n  $ ctrace demo\n  $ ctrace fetch bitcoin tx 1 --rpc-url x   # needs your own node\n  $ ctrace replay c.yaml --fail-on x   # exit 1: it passes\n'))
      .toEqual([
        { where: 'h', line: 'ctrace demo', needs: null, exit: 0 },
        { where: 'h', line: 'ctrace fetch bitcoin tx 1 --rpc-url x   # needs your own node', needs: 'your own node', exit: 0 },
        { where: 'h', line: 'ctrace replay c.yaml --fail-on x   # exit 1: it passes', needs: null, exit: 1 },
      ]);
    expect(commandOf('CTRACE_RPC_PASSWORD=x ctrace --json --db a.db labels import f.csv', groups)).toEqual(['labels', 'import']);
    expect(commandOf('ctrace --base-units trace x', groups)).toEqual(['trace']);
    expect(commandOf('npm link', groups)).toBeNull();
  });
});
