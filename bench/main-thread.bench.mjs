// Main-thread cost in headless Chromium, the way a shopper meets it:
// 1. initialisation: from just before the <script> tag to `CartKeep.ready` (fetch the script, config and a
//    1,000-product catalog, compile and instantiate the wasm, validate the catalog), on a fresh page each time,
//    beside a plain-JS peer that only fetches and parses the same config and catalog into a Map;
// 2. a scripted shopping session through the demo shop (browse, product, add three items, cart, quantity change,
//    checkout), with a PerformanceObserver collecting every long task (> 50 ms) on every page, beside the same
//    pages with cartkeep.js blocked (the long tasks the pages have without CartKeep).
// 3. per add-to-cart click on the product page and per "+" in the cart, the main-thread time of the event's
//    handlers from the Event Timing API (processingEnd - processingStart, and the whole duration to the next
//    paint), beside the same add-to-cart click with cartkeep.js blocked (the shop's own handlers).
// Prints medians (first visit and next page), main-thread time and long tasks; targets: init median <= 30 ms,
// no long task over 50 ms, CartKeep's handler time per add-to-cart click <= 4 ms.
import { readFileSync } from 'node:fs';

import { launchBrowser, waitForAnswer } from '../tests/e2e/helpers/browser.mjs';
import { TRACE_CATEGORIES, cartkeepTime, longTasks } from './long-task-trace.mjs';
import { startServer } from '../scripts/serve.mjs';
import { record, recordSection } from './report.mjs';

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
  window.__done(() => byId.size);
})();`;

const pageHtml = (body) => `<!doctype html><html lang="en-GB"><head><script src="t0.js"></script></head><body>${body}</body></html>`;
const FILES = {
  't0.js': ['text/javascript', `window.__t0 = performance.now(); window.__long = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
    window.__ms = new Promise((resolve) => { window.__done = (count) => { const ms = performance.now() - window.__t0; resolve({ ms, n: count() }); }; });`],
  // The clock stops at ready; counting the products (a call that copies all 1,000 out of the core) comes after.
  'ready.js': ['text/javascript', 'CartKeep.ready.then((i) => window.__done(() => i.catalog.products().length), () => window.__done(() => -1));'],
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

// Each run opens a fresh context (first visit: nothing cached), then loads the page again in it (the next page
// of a visit: HTTP cache and V8's compiled-wasm cache). Wall time runs from the first script in <head> to the
// callback; main-thread time is the renderer's TaskDuration over the whole load, the peer paying the same
// navigation costs.
async function timeLoads(page) {
  const runs = { cold: { ms: [], busy: [] }, warm: { ms: [], busy: [] } };
  const longTasks = { cold: [], warm: [] };
  for (let i = 0; i < RUNS + 2; i += 1) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    for (const visit of ['cold', 'warm']) {
      await tab.goto(`${server.origin}/bench/${page}`);
      const { ms, n } = await tab.evaluate(() => window.__ms);
      const busy = await taskSeconds(cdp); // the renderer's counters start again with each document
      if (n !== 1000) throw new Error(`${page}: expected 1000 products, got ${n}`);
      longTasks[visit].push(...(await tab.evaluate(() => window.__long)));
      if (i >= 2) { // the first two warm the server and the disk
        runs[visit].ms.push(ms);
        runs[visit].busy.push(busy * 1000);
      }
    }
    await context.close();
  }
  const summary = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: sorted[Math.floor(sorted.length / 2)], p90: sorted[Math.floor(sorted.length * 0.9)] };
  };
  return Object.fromEntries(['cold', 'warm'].map((visit) => [visit, {
    ...summary(runs[visit].ms), busy: summary(runs[visit].busy).median, longTasks: longTasks[visit],
  }]));
}

async function taskSeconds(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value;
}

const cartkeep = await timeLoads('cartkeep.html');
const peer = await timeLoads('peer.html');

// The scripted shopping session on the real demo pages, then its peer: the same pages with cartkeep.js blocked
// (the shop's own rendering, layout and a new document per page; nothing to add, so no clicks), which shows
// the long tasks a page has on this machine without CartKeep.
const sessionIds = demoCatalog.slice(0, 3).map((p) => p.id);
async function shoppingSession({ withCartKeep }) {
  const context = await browser.newContext();
  if (!withCartKeep) await context.route(/\/dist\/cartkeep\.js$/, (route) => route.abort());
  await context.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(Math.round(e.duration)); })
      .observe({ type: 'longtask', buffered: true });
  });
  const tab = await context.newPage();
  const seen = [];
  const settle = (ms) => tab.evaluate((wait) => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, wait))), ms);
  const collect = async (label) => {
    for (const duration of await tab.evaluate(() => window.__long.splice(0))) seen.push(`${label}: ${duration} ms`);
  };
  // Without CartKeep there is no ready to wait for: the page gets the same half second to settle instead.
  const ready = () => (withCartKeep ? tab.evaluate(() => CartKeep.ready.then(() => true)) : settle(500));
  if (withCartKeep) await browser.startTracing(tab, { categories: TRACE_CATEGORIES });
  await tab.goto(`${server.origin}/demo/index.html`);
  await ready();
  await collect('home');
  for (const id of sessionIds) {
    await tab.goto(`${server.origin}/demo/product.html?id=${encodeURIComponent(id)}`);
    await ready();
    if (withCartKeep) {
      await tab.click(`[data-cartkeep-add="${id}"]`);
      await waitForAnswer(tab, (n) => CartKeep.ready.then((i) => i.cart.lines().length >= n), sessionIds.indexOf(id) + 1);
    }
    await collect(`product ${id}`);
  }
  await tab.goto(`${server.origin}/demo/cart.html`);
  await ready();
  if (withCartKeep) await tab.evaluate(async (id) => (await CartKeep.ready).cart.setQuantity(id, 4), sessionIds[0]);
  await settle(200);
  await collect('cart');
  await tab.goto(`${server.origin}/demo/checkout.html`);
  await ready();
  await settle(500);
  await collect('checkout');
  const traced = withCartKeep ? longTasks((await browser.stopTracing()).toString()) : [];
  await context.close();
  return { seen, traced };
}
const { seen: sessionLongTasks, traced } = await shoppingSession({ withCartKeep: true });
const cartkeepTasks = traced.filter((t) => t.cartkeepMs > 50 || t.cartkeepMs > t.ms / 2);
const { seen: bareLongTasks } = await shoppingSession({ withCartKeep: false });

// Event Timing: every event of an interaction whose duration (input to the next paint) reaches the threshold
// (16 ms, the lowest Chromium allows) is reported with the time its handlers ran. An interaction below the
// threshold is not reported: it counts as "under 16 ms" and its handler time as at most that.
const EVENT_THRESHOLD_MS = 16;
const INTERACTION_EVENTS = new Set(['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']);
function observeEventTiming() {
  window.__eventTiming = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__eventTiming.push({ name: e.name, startTime: e.startTime, duration: e.duration, interactionId: e.interactionId,
          processing: e.processingEnd - e.processingStart });
      }
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  } catch {
    window.__eventTiming = null; // no Event Timing in this browser
  }
}

// Two frames and a tenth of a second: the click's entries are delivered, the engine's answer carried out.
const afterFrames = (tab) => tab.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 100)))));

// Clicks `selector` and waits for `done` (a function run in the page), then for the frames that deliver the
// click's Event Timing entries. Returns {click, handlers, duration, reported} for the click's interaction:
// `click` the click event's handler time, `handlers` the sum over its pointer and mouse events.
async function timedClick(tab, selector, done, arg) {
  const since = await tab.evaluate(() => { window.__eventTiming.length = 0; return performance.now(); });
  await tab.click(selector);
  if (done) await waitForAnswer(tab, done, arg);
  await afterFrames(tab);
  const entries = (await tab.evaluate(() => window.__eventTiming)).filter((e) => e.startTime >= since - 1 && INTERACTION_EVENTS.has(e.name));
  if (!entries.length) return { click: null, handlers: null, duration: null, reported: false, events: {} };
  const click = entries.find((e) => e.name === 'click');
  return {
    events: Object.fromEntries(entries.map((e) => [e.name, e.processing])),
    click: click ? click.processing : null,
    handlers: entries.reduce((sum, e) => sum + e.processing, 0),
    duration: Math.max(...entries.map((e) => e.duration)),
    reported: true,
  };
}

// Opens the cart page and clicks the first line's "+", measured by measure(tab, selector, done, arg), which
// waits until the engine's answer has raised the count.
async function clickPlusInCart(tab, measure) {
  await tab.goto(`${server.origin}/demo/cart.html`);
  await tab.evaluate(() => CartKeep.ready.then(() => true));
  const increase = 'cartkeep-cart button[aria-label^="Increase quantity"]';
  await tab.waitForSelector(increase);
  const before = await tab.evaluate(() => CartKeep.ready.then((s) => s.cart.count()));
  return measure(tab, increase, (n) => CartKeep.ready.then((s) => s.cart.count() > n), before);
}

async function clickTimings({ withCartKeep }) {
  const add = [];
  const plus = [];
  for (let i = 0; i < RUNS + 1; i += 1) {
    const context = await browser.newContext();
    if (!withCartKeep) await context.route(/\/dist\/cartkeep\.js$/, (route) => route.abort());
    await context.addInitScript(observeEventTiming);
    const tab = await context.newPage();
    const id = sessionIds[i % sessionIds.length];
    await tab.goto(`${server.origin}/demo/product.html?id=${encodeURIComponent(id)}`);
    const button = `[data-cartkeep-add="${id}"]`;
    if (withCartKeep) {
      await tab.evaluate(() => CartKeep.ready.then(() => true));
      await tab.waitForSelector(`${button}:not([disabled])`);
    } else {
      // Without CartKeep the shop disables its button: enable it, so the click reaches the shop's own handlers.
      await tab.waitForFunction(() => document.documentElement.classList.contains('cartkeep-unavailable'));
      await tab.evaluate(() => { document.getElementById('add-to-cart').disabled = false; });
    }
    if ((await tab.evaluate(() => window.__eventTiming)) === null) throw new Error('this Chromium has no Event Timing');
    const added = await timedClick(tab, '#add-to-cart', withCartKeep ? () => CartKeep.ready.then((s) => s.cart.count() > 0) : null);
    if (withCartKeep) {
      const increased = await clickPlusInCart(tab, timedClick);
      if (i > 0) plus.push(increased);
    }
    if (i > 0) add.push(added); // the first run warms the server and the disk
    await context.close();
  }
  return { add, plus };
}
// CartKeep's whole main-thread time for the same clicks, from a trace of a page of its own (tracing slows the
// page, so not the pages Event Timing measures): the handlers, the work they leave for the next task (the cart
// action), and the engine's answer carried out in the page (cart, widgets, storage), until the page settles.
async function tracedClickWork() {
  const add = [];
  const plus = [];
  const traced = async (tab, click, done, arg) => {
    await browser.startTracing(tab, { categories: TRACE_CATEGORIES });
    await tab.click(click);
    await waitForAnswer(tab, done, arg);
    await afterFrames(tab);
    return cartkeepTime((await browser.stopTracing()).toString());
  };
  for (let i = 0; i < RUNS + 1; i += 1) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const id = sessionIds[i % sessionIds.length];
    await tab.goto(`${server.origin}/demo/product.html?id=${encodeURIComponent(id)}`);
    await tab.evaluate(() => CartKeep.ready.then(() => true));
    await tab.waitForSelector('#add-to-cart:not([disabled])');
    const added = await traced(tab, '#add-to-cart', () => CartKeep.ready.then((s) => s.cart.count() > 0));
    const increased = await clickPlusInCart(tab, traced);
    if (i > 0) {
      add.push(added);
      plus.push(increased);
    }
    await context.close();
  }
  return { add, plus };
}

const clicks = await clickTimings({ withCartKeep: true });
const bareClicks = await clickTimings({ withCartKeep: false });
const clickWork = await tracedClickWork();
await browser.close();
await server.close();

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const tasks = (list) => (list.length ? list.map((ms) => ms.toFixed(0)).join(', ') : 'none');
console.log(`initialisation, ${RUNS} runs (script + config + 1,000-product catalog + wasm), wall time to the callback and main-thread time of the whole load:`);
for (const visit of ['cold', 'warm']) {
  const label = visit === 'cold' ? 'first visit (nothing cached)' : 'next page (HTTP + wasm code cache)';
  const c = cartkeep[visit];
  const p = peer[visit];
  console.log(`  ${label}`);
  console.log(`    CartKeep (to CartKeep.ready)          median ${fmt(c.median)}, p90 ${fmt(c.p90)}; main thread ${fmt(c.busy)}; long tasks (ms): ${tasks(c.longTasks)}`);
  console.log(`    plain JS (fetch + parse into a Map)   median ${fmt(p.median)}, p90 ${fmt(p.p90)}; main thread ${fmt(p.busy)}`);
  console.log(`    CartKeep / plain JS: wall ${(c.median / p.median).toFixed(2)}x, main thread ${(c.busy / p.busy).toFixed(2)}x; target: median <= 30 ms (${c.median <= 30 ? 'met' : 'NOT met'})`);
}
console.log(`scripted shopping session on the demo (home, 3 products + add, cart + quantity, checkout):`);
console.log(`  long tasks over 50 ms: ${sessionLongTasks.length ? sessionLongTasks.join('; ') : 'none'} (target: none)`);
console.log(`  the same pages without CartKeep (its script blocked): ${bareLongTasks.length ? bareLongTasks.join('; ') : 'none'}`);
console.log(`  in the trace of the same session, ${traced.length} long tasks; CartKeep's work (its script, wasm compile and run) fills most of, or over 50 ms of: ` +
  `${cartkeepTasks.length ? cartkeepTasks.map((t) => `${t.cartkeepMs.toFixed(0)} of ${t.ms.toFixed(0)} ms`).join(', ') : 'none'}`);
// Medians over the runs Event Timing reported (the line says how many of the runs that was).
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
};
function clickSummary(list) {
  const reported = list.filter((c) => c.reported);
  const pick = (key) => median(reported.map((c) => c[key]).filter((v) => v !== null));
  const names = [...INTERACTION_EVENTS].filter((name) => reported.some((c) => name in c.events));
  const events = Object.fromEntries(names.map((name) => [name, median(reported.map((c) => c.events[name] ?? 0))]));
  return { runs: list.length, reported: reported.length, click: pick('click'), handlers: pick('handlers'), duration: pick('duration'), events };
}
const clickFigures = {
  add: clickSummary(clicks.add),
  addBlocked: clickSummary(bareClicks.add),
  plus: clickSummary(clicks.plus),
  addWork: median(clickWork.add),
  plusWork: median(clickWork.plus),
};
const ms = (v) => (v === null ? `under ${EVENT_THRESHOLD_MS} ms (not reported)` : fmt(v));
const clickLine = (f) => `click handlers ${ms(f.click)}, all its pointer/mouse handlers ${ms(f.handlers)}, input to next paint ${ms(f.duration)} ` +
  `(${f.reported} of ${f.runs} runs reported by Event Timing; per event ${Object.entries(f.events).map(([name, v]) => `${name} ${v.toFixed(1)}`).join(', ')})`;
const addedByCartKeep = clickFigures.add.handlers !== null ? clickFigures.add.handlers - (clickFigures.addBlocked.handlers ?? 0) : null;
console.log(`handler time per click (Event Timing, median of ${RUNS} runs):`);
console.log(`  add to cart, product page, CartKeep           ${clickLine(clickFigures.add)}`);
console.log(`  add to cart, product page, CartKeep blocked   ${clickLine(clickFigures.addBlocked)}`);
console.log(`  "+" in the cart, CartKeep                     ${clickLine(clickFigures.plus)}`);
console.log(`  CartKeep's whole main-thread time from the click to the settled page (trace): add to cart ${ms(clickFigures.addWork)}, "+" ${ms(clickFigures.plusWork)}`);
console.log(`  CartKeep's handler time per add-to-cart click: ${ms(addedByCartKeep)} over the blocked page; target <= 4 ms ` +
  `(${addedByCartKeep !== null && addedByCartKeep <= 4 ? 'met' : addedByCartKeep === null ? 'under the reporting threshold' : 'NOT met'})`);
record({ bench: 'main-thread', figure: 'handler time per add-to-cart click (Event Timing processing, all its events), median', value: clickFigures.add.handlers, unit: 'ms',
  peer: 'same click, cartkeep.js blocked', peerValue: clickFigures.addBlocked.handlers, target: '<= 4 ms added' });
record({ bench: 'main-thread', figure: 'add-to-cart click, input to next paint (Event Timing duration), median', value: clickFigures.add.duration, unit: 'ms',
  peer: 'same click, cartkeep.js blocked', peerValue: clickFigures.addBlocked.duration });
record({ bench: 'main-thread', figure: 'handler time per "+" in the cart (Event Timing processing, all its events), median', value: clickFigures.plus.handlers, unit: 'ms',
  peer: 'add-to-cart click, cartkeep.js blocked (the "+" is CartKeep\'s own button)', peerValue: clickFigures.addBlocked.handlers });
record({ bench: 'main-thread', figure: '"+" in the cart, input to next paint (Event Timing duration), median', value: clickFigures.plus.duration, unit: 'ms' });
record({ bench: 'main-thread', figure: 'CartKeep main-thread time per add-to-cart click, click to settled page (trace), median', value: clickFigures.addWork, unit: 'ms' });
record({ bench: 'main-thread', figure: 'CartKeep main-thread time per "+" in the cart, click to settled page (trace), median', value: clickFigures.plusWork, unit: 'ms' });
recordSection('main-thread clicks', { thresholdMs: EVENT_THRESHOLD_MS, summary: clickFigures,
  runs: { add: clicks.add, addBlocked: bareClicks.add, plus: clicks.plus, addWork: clickWork.add, plusWork: clickWork.plus } });
for (const visit of ['cold', 'warm']) {
  const label = visit === 'cold' ? 'first visit' : 'next page';
  record({ bench: 'main-thread', figure: `init to ready, 1,000 products, ${label}, median`, value: cartkeep[visit].median, unit: 'ms',
    peer: 'plain JS fetch+parse', peerValue: peer[visit].median, target: '<= 30 ms' });
  record({ bench: 'main-thread', figure: `main-thread time of the load, ${label}, median`, value: cartkeep[visit].busy, unit: 'ms',
    peer: 'plain JS fetch+parse', peerValue: peer[visit].busy });
}
record({ bench: 'main-thread', figure: 'long tasks > 50 ms in a shopping session', value: sessionLongTasks.length, unit: 'tasks',
  peer: 'same pages without CartKeep', peerValue: bareLongTasks.length, target: '0' });
record({ bench: 'main-thread', figure: 'of those, mostly CartKeep work (trace)', value: cartkeepTasks.length, unit: 'tasks', target: '0' });
