// Shared set-up for the browser tests: Debian's chromium driven by playwright-core, pages
// served on 127.0.0.1 by scripts/serve.mjs on a free port, every console error, page error,
// failed request and HTTP error collected, and screenshots saved under artifacts/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(ROOT, 'tests/browser/artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Starts a server on `root` and a browser; `close()` always stops both. */
export async function openSession({ root = ROOT } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startServer({ root, port: 0 });
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  } catch (e) {
    await server.close();
    throw new Error(`could not launch ${CHROMIUM} (scripts/setup.sh installs Debian's chromium): ${e.message}`);
  }
  return {
    server,
    browser,
    url: (p) => `${server.url}${p}`,
    async newPage(viewport = { width: 1280, height: 1400 }, options = {}) {
      const context = await browser.newContext({ viewport, ...options });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const problems = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
      });
      return { page, problems, close: () => context.close() };
    },
    async close() {
      await Promise.allSettled([browser.close()]);
      await server.close();
    },
  };
}

export function artifact(name) {
  return path.join(ARTIFACTS, name);
}
