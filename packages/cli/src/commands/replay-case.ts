import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CtraceError } from '@cryptotrace/core';
import { parse } from 'yaml';

/** The commands a step may name directly (`- trace: <args>`); `- run: <command line>` runs any other. */
export const STEP_KINDS = ['cluster', 'trace', 'suspects', 'labels', 'stats', 'show', 'export', 'run'] as const;

/** One step: a ctrace command run with --json on the case's store, and the JSON it must give (a partial match). */
export interface ReplayStep {
  name: string;
  argv: string[];
  expect?: unknown;
  /** The exit code the step must end with (default 0). */
  exit: number;
}

/** A case file, read and checked: paths resolved against the case file's directory. */
export interface ReplayCase {
  path: string;
  name: string;
  chain: { files: string[]; format?: string; chain?: string } | { scenario: string; seed: number; params: Record<string, unknown> };
  /** Label files: paths, or `scenario:<file>` inside the generated scenario (`scenario:truth-services`: its services). */
  labels: string[];
  watch: string[];
  steps: ReplayStep[];
}

const bad = (path: string, what: string) => new CtraceError('INPUT_MALFORMED', `case file ${path}: ${what}`);
const words = (v: unknown, path: string, where: string): string[] => {
  if (typeof v === 'string') return v.trim() ? v.trim().split(/\s+/) : [];
  if (Array.isArray(v) && v.every((x) => ['string', 'number'].includes(typeof x))) return v.map(String);
  throw bad(path, `${where} must be a command line (a string or a list of strings)`);
};
const list = (v: unknown, path: string, where: string): string[] => {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  throw bad(path, `${where} must be a string or a list of strings`);
};

/**
 * Read and check a replay case file (YAML).
 * @throws CtraceError INPUT_UNREADABLE (missing, a directory, unreadable), INPUT_MALFORMED (not YAML, or not a case)
 */
export function readReplayCase(file: string, cwd: string): ReplayCase {
  const path = resolve(cwd, file);
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new CtraceError('INPUT_UNREADABLE', `case file ${path} is a directory: name a .yaml file`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof CtraceError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new CtraceError('INPUT_UNREADABLE', `cannot read case file ${path} (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code ?? 'error'}): check the path`, { cause: err });
  }
  let doc: Record<string, unknown>;
  try {
    doc = parse(text, { prettyErrors: true }) as Record<string, unknown>;
  } catch (err) {
    throw bad(path, `not valid YAML (${String((err as Error).message).split('\n')[0]})`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw bad(path, 'must be a YAML mapping with chain and steps');
  const base = dirname(path);
  const chainDoc = doc.chain as Record<string, unknown> | undefined;
  let chain: ReplayCase['chain'];
  if (chainDoc && typeof chainDoc === 'object' && 'files' in chainDoc) {
    const files = list(chainDoc.files, path, 'chain.files').map((f) => resolve(base, f));
    if (!files.length) throw bad(path, 'chain.files is empty');
    chain = { files, format: chainDoc.format as string | undefined, chain: chainDoc.chain as string | undefined };
  } else if (chainDoc && typeof chainDoc === 'object' && typeof chainDoc.scenario === 'string') {
    const { scenario, seed = 1, ...params } = chainDoc as { scenario: string; seed?: unknown };
    if (!Number.isInteger(seed)) throw bad(path, 'chain.seed must be a whole number');
    chain = { scenario, seed: seed as number, params };
  } else {
    throw bad(path, 'chain must name fixture files (chain.files) or a built-in scenario (chain.scenario, chain.seed)');
  }
  if (!Array.isArray(doc.steps) || doc.steps.length === 0) throw bad(path, 'steps must be a non-empty list');
  const steps = doc.steps.map((raw, i): ReplayStep => {
    if (!raw || typeof raw !== 'object') throw bad(path, `step ${i + 1} must be a mapping such as "- trace: <args>"`);
    const s = raw as Record<string, unknown>;
    const kinds = STEP_KINDS.filter((k) => k in s);
    if (kinds.length !== 1) throw bad(path, `step ${i + 1} must name exactly one of ${STEP_KINDS.join(', ')}`);
    const kind = kinds[0];
    const argv = kind === 'run' ? words(s.run, path, `step ${i + 1} run`) : [kind, ...words(s[kind] ?? [], path, `step ${i + 1} ${kind}`)];
    if (!argv.length) throw bad(path, `step ${i + 1} runs nothing`);
    const exit = s.exit === undefined ? 0 : Number(s.exit);
    if (!Number.isInteger(exit)) throw bad(path, `step ${i + 1} exit must be a whole number`);
    return { name: typeof s.name === 'string' ? s.name : `${i + 1}: ctrace ${argv.join(' ')}`, argv, expect: s.expect, exit };
  });
  return {
    path,
    name: typeof doc.name === 'string' ? doc.name : path,
    chain,
    // `scenario:<file>` names a file the scenario generator wrote; `scenario:truth-services` the services its truth names.
    labels: list(doc.labels, path, 'labels').map((f) => (f.startsWith('scenario:') ? f : resolve(base, f))),
    watch: list(doc.watch, path, 'watch'),
    steps,
  };
}
