// Main-thread cost in headless Chromium, the way a shopper meets it:
// 1. initialisation: from just before the <script> tag to `CartKeep.ready` (fetch the script, config and a
//    1,000-product catalog, compile and instantiate the wasm, validate the catalog), on a fresh page each time,
//    beside a plain-JS peer that only fetches and parses the same config and catalog into a Map;
// 2. a scripted shopping session through the demo shop (browse, product, add three items, cart, quantity change,
//    checkout), with a PerformanceObserver collecting every long task (> 50 ms) on every page.
// Prints medians and the long tasks; targets: init median <= 30 ms, no long task over 50 ms.
import { readFileSync } from 'node:fs';

import { launchBrowser } from '../tests/e2e/helpers/browser.mjs';
import { startServer } from '../scripts/serve.mjs';
import { record } from './report.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 15);
const CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";
const store = JSON.parse(readFileSync(new URL('../demo/config/store.json', import.meta.url), 'utf8'));
const demoCatalog = JSON.parse(readFileSync(new URL('../demo/data/catalog.json', import.meta.url), 'utf8'));

// 1,000 products: the demo's real ones, then variants of them with their own ids.
const catalog = [];
for (let round = 0; catalog.length < 1000; round += 1) {
  for (const product of demoCatalog) {
    if (catalog.length === 1000) break;
    catalog.push(round ? { ...product, id: `${product.id}-v${round}`, title: `${product.title} (${round + 1})` } : product);
  }
}
// The suggestion index belongs to the demo catalog's ids; this bench measures the catalog, not the index.
const { suggestions, ...storeOptions } = store;
const config = { ...storeOptions, catalog: 'catalog-1000.json' };

const PEER_SCRIPT = `(async () => {
  const options = await (await fetch('config.json')).json();
  const products = await (await fetch(options.catalog)).json();
  const byId = new Map(products.map((p) => [p.id, p]));
  window.__done(byId.size);
})();`;

const pageHtml = (body) => `<!doctype html><html lang="en-GB"><head><script src="t0.js"></script></head><body>${body}</body></html>`;
const FILES = {
  't0.js': ['text/javascript', `window.__t0 = performance.now(); window.__long = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
    window.__ms = new Promise((resolve) => { window.__done = (n) => resolve({ ms: performance.now() - window.__t0, n }); });`],
  'ready.js': ['text/javascript', 'CartKeep.ready.then((i) => window.__done(i.catalog.products().length), (e) => window.__done(-1));'],
  'peer.js': ['text/javascript', PEER_SCRIPT],
  'config.json': ['application/json', JSON.stringify(config)],
  'catalog-1000.json': ['application/json', JSON.stringify(catalog)],
  'cartkeep.html': ['text/html', pageHtml('<script src="/dist/cartkeep.js" data-config="config.json"></script><script src="ready.js"></script>')],
  'peer.html': ['text/html', pageHtml('<script src="peer.js"></script>')],
};

const server = await startServer({
  port: 0, quiet: true,
  hooks: {
    onRequest(url, req, res) {
      const name = url.pathname.startsWith('/bench/') ? url.pathname.slice('/bench/'.length) : null;
      if (!name || !FILES[name]) return false;
      res.writeHead(200, { 'content-type': FILES[name][0], 'content-security-policy': CSP, 'cache-control': 'no-store' });
      res.end(FILES[name][1]);
      return true;
    },
  },
});
const browser = await launchBrowser();

async function timeLoads(page) {
  const samples = [];
  const longTasks = [];
  for (let i = 0; i < RUNS + 2; i += 1) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${server.origin}/bench/${page}`);
    const { ms, n } = await tab.evaluate(() => window.__ms);
    if (n !== 1000) throw new Error(`${page}: expected 1000 products, got ${n}`);
    longTasks.push(...(await tab.evaluate(() => window.__long)));
    await context.close();
    if (i >= 2) samples.push(ms); // the first two warm the server and the disk cache
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], p90: samples[Math.floor(samples.length * 0.9)], longTasks };
}

const cartkeep = await timeLoads('cartkeep.html');
const peer = await timeLoads('peer.html');

// The scripted shopping session on the real demo pages.
const context = await browser.newContext();
await context.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(Math.round(e.duration)); })
    .observe({ type: 'longtask', buffered: true });
});
const tab = await context.newPage();
const sessionLongTasks = [];
const collect = async (label) => {
  for (const duration of await tab.evaluate(() => window.__long.splice(0))) sessionLongTasks.push(`${label}: ${duration} ms`);
};
const ready = () => tab.evaluate(() => CartKeep.ready.then(() => true));
await tab.goto(`${server.origin}/demo/index.html`);
await ready();
await collect('home');
const ids = demoCatalog.slice(0, 3).map((p) => p.id);
for (const id of ids) {
  await tab.goto(`${server.origin}/demo/product.html?id=${encodeURIComponent(id)}`);
  await ready();
  await tab.click(`[data-cartkeep-add="${id}"]`);
  await tab.waitForFunction((n) => CartKeep.ready.then((i) => i.cart.lines().length >= n), ids.indexOf(id) + 1);
  await collect(`product ${id}`);
}
await tab.goto(`${server.origin}/demo/cart.html`);
await ready();
await tab.evaluate(async (id) => (await CartKeep.ready).cart.setQuantity(id, 4), ids[0]);
await tab.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 200))));
await collect('cart');
await tab.goto(`${server.origin}/demo/checkout.html`);
await ready();
await tab.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 500))));
await collect('checkout');
await context.close();
await browser.close();
await server.close();

const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(`initialisation, fresh page each time, ${RUNS} runs (script + config + 1,000-product catalog + wasm):`);
console.log(`  CartKeep (to CartKeep.ready)          median ${fmt(cartkeep.median)}, p90 ${fmt(cartkeep.p90)}; long tasks: ${cartkeep.longTasks.length ? cartkeep.longTasks.map(fmt).join(', ') : 'none'}`);
console.log(`  plain JS (fetch + parse into a Map)   median ${fmt(peer.median)}, p90 ${fmt(peer.p90)}`);
console.log(`  CartKeep / plain JS: ${(cartkeep.median / peer.median).toFixed(2)}x; target: median <= 30 ms (${cartkeep.median <= 30 ? 'met' : 'NOT met'})`);
console.log(`scripted shopping session on the demo (home, 3 products + add, cart + quantity, checkout):`);
console.log(`  long tasks over 50 ms: ${sessionLongTasks.length ? sessionLongTasks.join('; ') : 'none'} (target: none)`);
record({ bench: 'main-thread', figure: 'init to ready, 1,000 products, median', value: cartkeep.median, unit: 'ms',
  peer: 'plain JS fetch+parse', peerValue: peer.median, target: '<= 30 ms' });
record({ bench: 'main-thread', figure: 'long tasks > 50 ms in a shopping session', value: sessionLongTasks.length, unit: 'tasks', target: '0' });
