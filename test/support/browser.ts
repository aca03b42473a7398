import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type ConsoleMessage, type Page, chromium } from 'playwright-core';

/** The system Chromium (Debian's), driven headless by playwright-core; nothing is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/** Launch headless Chromium with a fresh profile (a new user-data-dir) and no background network; close it in afterAll. */
export async function launchBrowser(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ctrace-chromium-')), {
    executablePath: CHROMIUM,
    viewport: { width: 1400, height: 900 },
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--enable-unsafe-swiftshader',
    ],
  });
}

/** What a page said while it loaded: console errors, page errors, dialogs opened, requests that left the file. */
export interface PageLog {
  errors: string[];
  dialogs: string[];
  requests: string[];
}

/** Open a local file in a new page, recording errors, dialogs and any request not to the file itself. */
export async function openFile(browser: BrowserContext, path: string): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage();
  const log: PageLog = { errors: [], dialogs: [], requests: [] };
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('dialog', (d) => {
    log.dialogs.push(d.message());
    void d.dismiss();
  });
  const url = `file://${path}`;
  page.on('request', (r) => {
    if (r.url() !== url) log.requests.push(r.url());
  });
  await page.goto(url);
  return { page, log };
}
