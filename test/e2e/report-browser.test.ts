import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openFile } from '../support/browser.js';
import { ctrace, tempDir } from '../support/cli.js';
import { hasShared, needs } from '../support/shared.js';
import { BLOCK_170_TX, BTCD_BLOCKS, EVM, HOSTILE, PEEL_SENDER, btcdStore, hostileEvmStore } from './stores.js';

// The report is opened from the file alone, in the real Chromium of this machine (no server, no network).
let browser: BrowserContext;
let dir: string;
beforeAll(async () => {
  browser = await launchBrowser();
  dir = tempDir('ctrace-report-');
});
afterAll(async () => {
  await browser?.close();
});

type Graphish = { nodes: number; edges: number; graph: { nodes(): string[]; edges(): string[]; source(e: string): string; target(e: string): string; getEdgeAttribute(e: string, k: string): string } };

async function load(path: string) {
  const { page, log } = await openFile(browser, path);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 20_000 });
  await page.waitForTimeout(300);
  const drawn = await page.evaluate(() => {
    const r = (window as unknown as { cryptotraceReport: Graphish }).cryptotraceReport;
    return {
      nodes: r.graph.nodes().sort(),
      edges: r.graph.edges().map((e) => `${r.graph.source(e)} -> ${r.graph.target(e)} ${r.graph.getEdgeAttribute(e, 'label')}`).sort(),
      canvases: document.querySelectorAll('#graph canvas').length,
    };
  });
  return { page, log, drawn };
}

describe.skipIf(!hasShared(BTCD_BLOCKS))(needs(BTCD_BLOCKS, 'behavior: the HTML report of the peel chain in headless Chromium'), () => {
  test('default: loads offline without console errors and draws every node and edge of the case', async () => {
    const db = btcdStore(dir);
    const out = join(dir, 'peel.html');
    const r = ctrace(['--db', db, '--json', 'export', 'html', PEEL_SENDER, '--hops', '3', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    const { page, log, drawn } = await load(out);
    expect(log.errors).toEqual([]);
    expect(log.requests).toEqual([]);
    expect(drawn.canvases).toBeGreaterThan(0);
    expect(drawn.nodes.length).toBe(summary.nodes);
    expect(drawn.edges.length).toBe(summary.edges);
    // Block 170: 10 BTC to Hal Finney's key, 40 BTC back to the sender's key; amounts shown in coin units.
    expect(drawn.nodes).toContain(BLOCK_170_TX);
    expect(drawn.edges).toContain(`${BLOCK_170_TX} -> p2pk:1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3 10 BTC`);
    expect(drawn.edges).toContain(`${BLOCK_170_TX} -> p2pk:${PEEL_SENDER} 40 BTC`);
    expect(drawn.edges).toContain(`p2pk:${PEEL_SENDER} -> ${BLOCK_170_TX} 50 BTC`);
    const rows = await page.locator('#evidence tbody tr').count();
    expect(rows).toBe(summary.evidence);
    const shot = join(dir, 'peel.png');
    await page.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    // Clicking a node (found where sigma drew it) shows its id and marks its rows in the tables.
    const at = await page.evaluate((node) => {
      const r = (window as unknown as { cryptotraceReport: { renderer: { getNodeDisplayData(n: string): { x: number; y: number }; framedGraphToViewport(p: { x: number; y: number }): { x: number; y: number } } } }).cryptotraceReport.renderer;
      const p = r.framedGraphToViewport(r.getNodeDisplayData(node));
      const box = (document.getElementById('graph') as HTMLElement).getBoundingClientRect();
      return { x: p.x + box.left, y: p.y + box.top };
    }, BLOCK_170_TX);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.locator('#details').innerText()).toContain(BLOCK_170_TX);
    // Its two outputs in the evidence table, and its own row in the nodes table.
    expect(await page.locator(`#evidence tr.hit[data-from="${BLOCK_170_TX}"]`).count()).toBe(2);
    expect(await page.locator(`#nodes tr.hit[data-node="${BLOCK_170_TX}"]`).count()).toBe(1);
    await page.close();
  });
});

describe('behavior: untrusted text in the report is data, never markup', () => {
  test('a <script> token name and a label carrying "><img onerror=...> run nothing and show as text', async () => {
    const db = hostileEvmStore(dir);
    const out = join(dir, 'hostile.html');
    const r = ctrace(['--db', db, 'export', 'html', EVM.payer, '--hops', '2', '-o', out]);
    expect(r.code).toBe(0);
    const { page, log, drawn } = await load(out);
    expect(log.dialogs).toEqual([]);
    expect(log.errors).toEqual([]);
    expect(log.requests).toEqual([]);
    const globals = await page.evaluate(() => [(window as unknown as Record<string, unknown>).__pwnedToken, (window as unknown as Record<string, unknown>).__pwnedLabel]);
    expect(globals).toEqual([undefined, undefined]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#evidence script, #nodes script, b').count()).toBe(0);
    const text = await page.locator('aside').innerText();
    expect(text).toContain(`market: ${HOSTILE.label}`);
    expect(text).toContain('2.5 EVIL<b>');
    expect(text).toContain('scam: CLEARED (test-labels.csv)');
    expect(text).not.toContain('\u001b');
    expect(drawn.nodes).toEqual([EVM.mule, EVM.payer, EVM.shop].sort());
    expect(drawn.edges).toContain(`${EVM.payer} -> ${EVM.shop} 2.5 EVIL<b>`);
    expect(drawn.edges).toContain(`${EVM.shop} -> ${EVM.mule} 1 ETH`);
    await page.screenshot({ path: join(dir, 'hostile.png') });
    expect(existsSync(join(dir, 'hostile.png'))).toBe(true);
    await page.close();
  });
});
