// Persistence benchmark. Save and restore of a 100-line cart, in Node against dist/ (storage: a Map behind the
// adapter interface) and in Chromium (localStorage), beside a plain-JS baseline in the same run
// (JSON.stringify + setItem, getItem + JSON.parse of the same cart); cross-tab propagation latency between two
// Chromium pages of one context (CartKeep: edit -> save -> BroadcastChannel -> merge -> cart-change in the
// other tab; baseline: postMessage of the cart's JSON -> JSON.parse). p50/p95, ratios. Figures only; not a test.
//
// A CartKeep save here is what every cart change costs: read what storage holds, merge it, re-encode the
// versioned, checksummed snapshot, write it, tell the other tabs. A restore is what a page load costs: read,
// verify, migrate, merge, re-price every line from the catalog, rebuild the cart. Each sample saves a real
// edit, and each restore merges a snapshot with a change the reader has not seen. The baseline trusts the
// stored prices and merges nothing: it is the floor, not an equivalent.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';


import { startServer } from '../scripts/serve.mjs';
import { record } from './report.mjs';
import { launchBrowser } from '../tests/e2e/helpers/browser.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ITERATIONS = Number(process.env.BENCH_ITERATIONS || 1000);
const TAB_SAMPLES = Number(process.env.BENCH_TAB_SAMPLES || 200);
const LINES = 100;

const catalog = Array.from({ length: 150 }, (_, i) => ({
  id: `sku-${i}`, title: `Product ${i} with a realistic, longish title`, price: 199 + ((i * 7919) % 9800),
  category: i % 3 ? 'Home' : 'Kitchen', weight: 100 + (i % 20) * 50,
}));

// Runs in Node and, unchanged, inside a Chromium page: globalThis.CartKeep is the API; storage is
// localStorage in the browser and globalThis.__benchArea (same interface) in Node.
async function saveRestore({ iterations, catalog, lines }) {
  const browser = typeof window !== 'undefined';
  const CK = globalThis.CartKeep;
  const area = browser ? window.localStorage : globalThis.__benchArea;
  const adapter = browser ? null : { get: (k) => area.getItem(k), set: (k, v) => area.setItem(k, v), remove: (k) => area.removeItem(k) };
  const base = { currency: 'GBP', locale: 'en-GB', catalog, ...(browser ? {} : { wasmBinary: globalThis.__wasmBinary }) };
  const persistence = (namespace) => ({ namespace, sync: false, ...(adapter ? { storage: adapter } : {}) });
  const writer = await CK.init({ ...base, persistence: persistence('bench-writer') });
  const reader = await CK.init({ ...base, persistence: persistence('bench-reader') });
  for (let i = 0; i < lines; i += 1) writer.cart.add(`sku-${i}`, 1 + (i % 3));
  writer.persistence.offCartChange(); // the benchmark saves explicitly: exactly one save per edit
  await writer.persistence.save();
  const now = () => performance.now();
  const warm = Math.min(200, iterations);
  const quantities = new Map(writer.cart.lines().map((l) => [l.productId, l.quantity]));
  const nextQuantity = (id) => (quantities.get(id) % 3) + 1;

  // CartKeep save: one edit, then its save.
  const saves = [];
  const texts = [];
  for (let i = 0; i < warm + iterations; i += 1) {
    const id = `sku-${i % lines}`;
    quantities.set(id, nextQuantity(id));
    writer.cart.setQuantity(id, quantities.get(id));
    const start = now();
    await writer.persistence.save();
    const took = (now() - start) * 1000;
    if (i >= warm) saves.push(took);
    texts.push(area.getItem('cartkeep:bench-writer:cart'));
  }
  // CartKeep restore: storage -> the core (verify, merge, re-price) -> the cart, as a page load does.
  const restores = [];
  const readerKey = 'cartkeep:bench-reader:cart';
  for (let i = 0; i < texts.length; i += 1) {
    area.setItem(readerKey, texts[i]);
    const start = now();
    const stored = area.getItem(readerKey);
    const result = reader.session.call('persistRestore', stored, Date.now(), reader.persistence.replica);
    reader.persistence.publishCart(result.cart, 'restore');
    const took = (now() - start) * 1000;
    if (i >= warm) restores.push(took);
  }
  const same = JSON.stringify(reader.cart.lines()) === JSON.stringify(writer.cart.lines());

  // Plain JS: the same cart as JSON in the same storage.
  const cart = writer.cart.lines().map((l) => ({ productId: l.productId, title: l.title, price: l.unitPrice ?? l.price, quantity: l.quantity }));
  const plainSaves = [];
  const plainRestores = [];
  for (let i = 0; i < warm + iterations; i += 1) {
    const line = cart[i % lines];
    line.quantity = (line.quantity % 3) + 1;
    let start = now();
    area.setItem('plain:cart', JSON.stringify({ version: 1, savedAt: Date.now(), lines: cart }));
    const saved = (now() - start) * 1000;
    start = now();
    const parsed = JSON.parse(area.getItem('plain:cart'));
    const restored = (now() - start) * 1000;
    if (parsed.lines.length !== lines) throw new Error('plain restore lost lines');
    if (i >= warm) {
      plainSaves.push(saved);
      plainRestores.push(restored);
    }
  }
  const bytes = { cartkeep: texts[texts.length - 1].length, plain: area.getItem('plain:cart').length };
  writer.destroy();
  reader.destroy();
  return { saves, restores, plainSaves, plainRestores, same, bytes, isolated: browser ? window.crossOriginIsolated : true };
}

const percentile = (sorted, p) => sorted[Math.floor(p * (sorted.length - 1))];
const summarise = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
};
const us = (value) => `${value.toFixed(1).padStart(9)} µs`;
const ms = (value) => `${value.toFixed(2).padStart(8)} ms`;

async function inNode() {
  const dist = new URL('../dist/', import.meta.url);
  globalThis.CartKeep = await import(new URL('cartkeep.mjs', dist).href);
  globalThis.__wasmBinary = readFileSync(new URL('cartkeep.wasm', dist));
  const map = new Map();
  globalThis.__benchArea = { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => { map.set(k, String(v)); }, removeItem: (k) => { map.delete(k); } };
  return saveRestore({ iterations: ITERATIONS, catalog, lines: LINES });
}

// ---- Chromium ----------------------------------------------------------------------------------------

async function inChromium() {
  // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
  const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  const page = '<!doctype html><meta charset="utf-8"><title>persistence bench</title><script src="/dist/cartkeep.js"></script>';
  const server = await startServer({ port: 0, quiet: true, hooks: {
    onRequest(url, req, res) {
      if (url.pathname === '/bench/persistence.html') { res.writeHead(200, { 'content-type': 'text/html', ...isolation }).end(page); return true; }
      if (url.pathname === '/dist/cartkeep.js' || url.pathname === '/dist/cartkeep.wasm') {
        const wasm = url.pathname.endsWith('.wasm');
        res.writeHead(200, { 'content-type': wasm ? 'application/wasm' : 'text/javascript', ...isolation })
          .end(readFileSync(`${root}dist/${wasm ? 'cartkeep.wasm' : 'cartkeep.js'}`));
        return true;
      }
      if (url.pathname === '/favicon.ico') { res.writeHead(204).end(); return true; }
      return false;
    },
  } });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${server.origin}/bench/persistence.html`);
    const storage = await tab.evaluate(saveRestore, { iterations: ITERATIONS, catalog, lines: LINES });
    await tab.close();
    const tabs = await crossTab(context, `${server.origin}/bench/persistence.html`);
    return { storage, tabs };
  } finally {
    await browser.close();
    await server.close();
  }
}

// Two pages of one context: page A edits, page B notes when the change has arrived (its cart-change from
// sync, or the plain message parsed). Times are performance.timeOrigin + now(): one clock for both pages.
async function crossTab(context, url) {
  const [a, b] = [await context.newPage(), await context.newPage()];
  const setup = ({ catalog, lines, role }) => CartKeep.init({ currency: 'GBP', locale: 'en-GB', catalog, persistence: { namespace: 'bench-tabs' } })
    .then((store) => {
      window.store = store;
      window.arrivals = { cartkeep: [], plain: [] };
      const stamp = () => performance.timeOrigin + performance.now();
      store.on('cart-change', (detail) => { if (detail.action === 'sync') window.arrivals.cartkeep.push(stamp()); });
      window.plain = new BroadcastChannel('bench-plain');
      window.plain.onmessage = (event) => {
        const cart = JSON.parse(event.data);
        if (cart.lines.length) window.arrivals.plain.push(stamp());
      };
      if (role === 'a') for (let i = 0; i < lines; i += 1) store.cart.add(`sku-${i}`, 1 + (i % 3));
      return store.persistence.status().sync;
    });
  for (const [page, role] of [[a, 'a'], [b, 'b']]) {
    await page.goto(url);
    const sync = await page.evaluate(setup, { catalog, lines: LINES, role });
    if (sync !== 'broadcast-channel') throw new Error(`sync is ${sync}`);
  }
  // B opened after A's cart was saved: it restored the same 100 lines.
  const restored = await b.evaluate(() => window.store.cart.count());
  const arrived = (kind, n) => b.evaluate(({ kind, n }) => new Promise((resolve) => {
    const check = () => (window.arrivals[kind].length >= n ? resolve(window.arrivals[kind][n - 1]) : setTimeout(check, 0));
    check();
  }), { kind, n });
  const editCartKeep = (i) => a.evaluate((i) => {
    const id = `sku-${i % 100}`;
    const line = window.store.cart.lines().find((l) => l.productId === id);
    const start = performance.timeOrigin + performance.now();
    window.store.cart.setQuantity(id, (line.quantity % 3) + 1);
    return start;
  }, i);
  const editPlain = (i) => a.evaluate((i) => {
    const lines = window.store.cart.lines().map((l) => ({ productId: l.productId, title: l.title, quantity: l.quantity }));
    lines[i % lines.length].quantity += 1;
    const start = performance.timeOrigin + performance.now();
    window.plain.postMessage(JSON.stringify({ v: 1, lines }));
    return start;
  }, i);
  const warm = 20;
  const cartkeep = [];
  const plain = [];
  for (let i = 0; i < warm + TAB_SAMPLES; i += 1) {
    const start = await editCartKeep(i);
    const end = await arrived('cartkeep', i + 1);
    const startPlain = await editPlain(i);
    const endPlain = await arrived('plain', i + 1);
    if (i >= warm) {
      cartkeep.push(end - start);
      plain.push(endPlain - startPlain);
    }
  }
  const same = await Promise.all([a, b].map((p) => p.evaluate(() => JSON.stringify(window.store.cart.lines()))));
  return { cartkeep, plain, restored, same: same[0] === same[1] };
}

function report(where, short, result) {
  const rows = [
    ['save', summarise(result.saves), summarise(result.plainSaves)],
    ['restore', summarise(result.restores), summarise(result.plainRestores)],
  ];
  console.log(`  ${where}${result.isolated ? '' : ' (timer not isolated: 100 µs resolution)'}; snapshot ${result.bytes.cartkeep} B, plain JSON ${result.bytes.plain} B; restored cart ${result.same ? 'identical' : 'DIFFERENT'}`);
  console.log(`    ${'operation'.padEnd(34)} ${'p50'.padStart(12)} ${'p95'.padStart(12)}`);
  for (const [name, mine, plain] of rows) {
    console.log(`    ${`CartKeep ${name}`.padEnd(34)} ${us(mine.p50)} ${us(mine.p95)}`);
    console.log(`    ${`plain JSON ${name}`.padEnd(34)} ${us(plain.p50)} ${us(plain.p95)}`);
    console.log(`    ${`ratio CartKeep / plain (${name})`.padEnd(34)} ${`${(mine.p50 / plain.p50).toFixed(1)}x`.padStart(12)} ${`${(mine.p95 / plain.p95).toFixed(1)}x`.padStart(12)}`);
    for (const key of ['p50', 'p95']) {
      record({ bench: 'persistence', figure: `${LINES}-line cart ${name}, ${short}, ${key}`, value: mine[key], unit: 'µs',
        peer: 'plain JSON + storage, same run', peerValue: plain[key] });
    }
  }
}

const node = await inNode();
const chromiumResult = await inChromium();
console.log(`persistence: ${LINES}-line cart, ${ITERATIONS} saves and restores each (after 200 warm-up), same run; ` +
  `${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)} (figures scale with it: compare the ratios)`);
report('Node (dist/cartkeep.mjs, Map-backed adapter)', 'Node', node);
report('Chromium (dist/cartkeep.js, localStorage)', 'Chromium', chromiumResult.storage);
const tabs = chromiumResult.tabs;
const mine = summarise(tabs.cartkeep);
const plain = summarise(tabs.plain);
console.log(`  cross-tab propagation, two Chromium pages of one context, ${TAB_SAMPLES} edits (after 20 warm-up); ` +
  `second tab restored ${tabs.restored} units; tabs end ${tabs.same ? 'identical' : 'DIFFERENT'}`);
console.log(`    ${'path'.padEnd(58)} ${'p50'.padStart(11)} ${'p95'.padStart(11)}`);
console.log(`    ${'CartKeep: edit -> save -> BroadcastChannel -> merge -> event'.padEnd(58)} ${ms(mine.p50)} ${ms(mine.p95)}`);
console.log(`    ${'plain: postMessage(JSON) -> JSON.parse'.padEnd(58)} ${ms(plain.p50)} ${ms(plain.p95)}`);
console.log(`    ${'ratio CartKeep / plain'.padEnd(58)} ${`${(mine.p50 / plain.p50).toFixed(1)}x`.padStart(11)} ${`${(mine.p95 / plain.p95).toFixed(1)}x`.padStart(11)}`);
for (const key of ['p50', 'p95']) {
  record({ bench: 'persistence', figure: `cross-tab propagation, Chromium, ${key}`, value: mine[key], unit: 'ms',
    peer: 'plain BroadcastChannel JSON, same run', peerValue: plain[key] });
}
