import type { Command } from 'commander';
import { describe, expect, test } from 'vitest';
import { ctrace } from '../support/cli.js';

/** Every command of the built binary, as the paths a user types (`cluster why`), read from its own program. */
async function commandPaths(): Promise<string[]> {
  const { buildProgram } = (await import('../../packages/cli/dist/cli.js')) as { buildProgram: (io: unknown, set: (c: number) => void) => Command };
  const program = buildProgram({ out() {}, err() {}, isTTY: false }, () => {});
  const walk = (c: Command, prefix: string[]): string[] =>
    c.commands.flatMap((sub) => {
      const path = [...prefix, sub.name()];
      return sub.commands.length ? [path.join(' '), ...walk(sub, path)] : [path.join(' ')];
    });
  return walk(program, []);
}

const paths = await commandPaths();

describe('--help on every command', () => {
  test('default: the binary has the commands of issue 7', () => {
    expect(paths).toEqual(expect.arrayContaining(['export', 'replay', 'demo']));
  });

  // Every command has examples, groups (`show`, `labels`) too.
  test.each(paths)('default: ctrace %s --help exits 0 with examples', (path) => {
    const r = ctrace([...path.split(' '), '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ctrace /);
    expect(r.stdout).toMatch(/\nExamples:\n {2}\$ ctrace /);
  });

  test('behavior: the global output options are documented', () => {
    const r = ctrace(['--help']);
    for (const flag of ['--json', '--csv', '--base-units', '--full', '--no-color', '--db <path>']) expect(r.stdout).toContain(flag);
  });

  test('error: an unknown command exits 2 with one line of what to do', () => {
    const r = ctrace(['teleport']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'teleport'/);
  });
});
