// Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core against the demo server.
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from '../../../scripts/serve.mjs';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export async function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

// Starts the demo server on a free port; `hooks.onRequest(url, req, res)` may answer a request itself;
// `compress` sends gzip as a store's server or CDN would (for the visits on a slowed network).
export async function startDemo(hooks, { compress = false } = {}) {
  return startServer({ port: 0, quiet: true, hooks, compress });
}

// A page that records console errors and uncaught exceptions, so tests can assert there were none.
export async function openPage(browser, url, { context: contextOptions = {} } = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  if (url) await page.goto(url);
  return { context, page, problems };
}

// The usual file setup: one demo server and one browser for the whole file, closed at the end. Returns a live
// view (`shared.browser`, `shared.demo`) filled in before the first test runs.
export function useDemoBrowser(hooks, serverOptions) {
  const shared = { browser: null, demo: null };
  before(async () => {
    shared.demo = await startDemo(hooks, serverOptions);
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.demo?.close();
  });
  return shared;
}

// Holds the engine's answers to calls named `name` (window.held: one release function per call), so a test can
// look at a widget while it waits for the engine.
export function holdEngineAnswers(page, name) {
  return page.evaluate((held) => CartKeep.ready.then((store) => {
    const request = store.session.request.bind(store.session);
    window.held = [];
    store.session.request = (method, ...args) => {
      const answer = request(method, ...args);
      return method === held ? new Promise((resolve) => window.held.push(() => resolve(answer))) : answer;
    };
  }), name);
}

// Polls fn(arg) in the page until it resolves to something truthy, and returns that. page.waitForFunction does
// not wait for a promise (a promise is truthy at once), and the engine's reads beyond the cart are promises.
export async function waitForAnswer(page, fn, arg, { timeout = 30000, interval = 50 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > end) throw new Error(`waitForAnswer: nothing after ${timeout} ms: ${String(fn).slice(0, 120)}`);
    await new Promise((resolve) => { setTimeout(resolve, interval); });
  }
}
