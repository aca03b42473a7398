import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openFile } from '../support/browser.js';
import { ctrace, tempDir } from '../support/cli.js';

let browser: BrowserContext;
let dir: string;
beforeAll(async () => {
  browser = await launchBrowser();
  dir = tempDir('ctrace-demo-');
});
afterAll(async () => {
  await browser?.close();
});

describe('ctrace demo', () => {
  test('default: a whole investigation offline; the report loads in Chromium with the suspects highlighted', async () => {
    const out = join(dir, 'run1');
    const r = ctrace(['--json', 'demo', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`)).toEqual([
      'generate:done', 'ingest:done', 'labels:done', 'cluster:done', 'market:done', 'trace:done', 'suspects:done',
    ]);
    // The investigator knows five market addresses; clustering finds more of the market.
    expect(summary.labelledMarketAddresses).toBe(5);
    expect(summary.marketAddresses).toBeGreaterThan(5);
    expect(summary.report).toBe(join(out, 'report.html'));
    expect(statSync(summary.gexf).size).toBeGreaterThan(1000);
    expect(summary.topSuspects.length).toBeGreaterThan(0);
    // Progress goes to stderr, one line per step; the result to stdout.
    expect(r.stderr.trim().split('\n')).toHaveLength(7);

    const { page, log } = await openFile(browser, summary.report);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 20_000 });
    expect(log.errors).toEqual([]);
    expect(log.requests).toEqual([]);
    const drawn = await page.evaluate(() => {
      const g = (window as unknown as { cryptotraceReport: { graph: { order: number; size: number; filterNodes(f: (k: string, a: Record<string, unknown>) => boolean): string[] } } }).cryptotraceReport.graph;
      return { nodes: g.order, edges: g.size, suspects: g.filterNodes((_k, a) => a.suspect === true) };
    });
    expect(drawn.nodes).toBe(summary.nodes);
    expect(drawn.edges).toBe(summary.edges);
    expect(drawn.suspects).toContain(summary.topSuspects[0].address);
    expect(await page.locator('#nodes tr.suspect').count()).toBe(drawn.suspects.length);
    await page.screenshot({ path: join(dir, 'demo.png') });
    expect(existsSync(join(dir, 'demo.png'))).toBe(true);
    await page.close();

    // Same seed, same case: the Gephi file is byte-identical (the HTML carries the analysis time).
    const again = ctrace(['--json', 'demo', '--out', join(dir, 'run2')]);
    expect(again.code).toBe(0);
    expect(readFileSync(JSON.parse(again.stdout).gexf, 'utf8')).toBe(readFileSync(summary.gexf, 'utf8'));
  });

  test('default: the text summary names the report and the store', () => {
    const out = join(dir, 'run3');
    const r = ctrace(['demo', '--out', out, '--txs', '200', '--seed', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`report  ${join(out, 'report.html')}`);
    expect(r.stdout).toContain(`store   ${join(out, 'case.db')}`);
    expect(r.stdout).toMatch(/\n  suspect 1  \S+  score [\d.]+, [\d.]+ rBTC from the market\n/);
    expect(r.stdout).not.toContain('\u001b');
  });

  test.each([
    [['--txs', 'many'], /--txs must be a whole number >= 10, not "many"/],
    [['--txs', '5'], /--txs must be a whole number >= 10, not "5"/],
    [['--out', 'FILE/sub'], /cannot create .*a-file\/sub \(ENOTDIR\): choose another --out/],
  ])('error: %j exits 2 with one line', (args, message) => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory\n');
    const r = ctrace(['demo', ...args.map((a) => a.replace('FILE', file))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
