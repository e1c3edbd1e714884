// Event stream benchmark, in Node against dist/. Figures only; not a test.
//
// 1. What the stream adds to every cart change: the eventsObserve call into the core (diff the cart, record
//    add-to-cart or remove-from-cart with ids, build the GA4 push, queue the record as JSON for the endpoint,
//    keep it in the history; the default history cap of 500), p50/p95 in µs, with the queue delivered every 20. Peer in the same run: a plain-JS tracker doing the floor of that
//    work (build the record from a JS cart, push a GA4 object, JSON.stringify it onto a queue array), trusting
//    its input and checking nothing.
// 2. instance.metrics({events}) over 20,000 collected records (2,000 carts): every KPI, the funnel and the uplift
//    interval, records deduplicated by id. Peer: plain JS computing only carts, completions, abandonment rate
//    and the median time to checkout over the same records (a floor, not an equivalent).
import { cpus, loadavg } from 'node:os';

import { record } from './report.mjs';

const { CartKeep, wasmBinary } = await import('../tests/js/helpers/cartkeep.mjs');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS || 4000);
const CARTS = Number(process.env.BENCH_CARTS || 2000);

const catalog = Array.from({ length: 100 }, (_, i) => ({
  id: `sku-${i}`, title: `Product ${i} with a realistic, longish title`, price: 199 + ((i * 7919) % 9800), category: i % 3 ? 'Home' : 'Kitchen',
}));
const byId = new Map(catalog.map((p) => [p.id, p]));

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const now = () => performance.now();

// ------------------------------------------------------------------------------------------ 1. per cart change
const store = await CartKeep.init({
  currency: 'GBP', locale: 'en-GB', catalog, wasmBinary, consent: 'granted', behaviour: { enabled: false },
  events: { endpoint: 'https://collect.example/e', dataLayer: true, batch: { intervalMs: 600000, size: 20 } },
});
globalThis.dataLayer = [];
const session = store.session;
const observe = [];
const warm = Math.min(500, ITERATIONS);
for (let i = 0; i < warm + ITERATIONS; i += 1) {
  const id = `sku-${i % 20}`;
  // The cart changes in the core first, then the stream observes the change (as cartAction does inside).
  session.call('cartAction', JSON.stringify({ type: 'add', productId: id, at: Date.now(), pageMs: 0 }));
  const detail = JSON.stringify({ action: 'add', productId: id });
  const start = now();
  session.call('eventsObserve', 'cart-change', detail, Date.now(), -1);
  const took = (now() - start) * 1000;
  if (i >= warm) observe.push(took);
  if (i % 40 === 39) session.call('cartAction', JSON.stringify({ type: 'clear', at: Date.now(), pageMs: 0 }));
  // A working endpoint: every 20 changes the batch goes and is answered 204 (not timed), so the queue stays short.
  if (i % 20 === 19) {
    for (const batch of session.call('eventsNext', Date.now(), 'now').batches) session.call('eventsResult', batch.id, 204, 0, Date.now());
  }
}
const queued = store.tracking.state().queue.delivered;
store.destroy();

// Plain JS: the same adds against a JS cart.
const jsCart = new Map();
const jsQueue = [];
const jsLayer = [];
const plain = [];
let seq = 0;
for (let i = 0; i < warm + ITERATIONS; i += 1) {
  const id = `sku-${i % 20}`;
  jsCart.set(id, (jsCart.get(id) || 0) + 1);
  const start = now();
  const p = byId.get(id);
  const data = { currency: 'GBP', value: p.price, items: [{ productId: id, title: p.title, quantity: 1, unitPrice: p.price }] };
  const r = { id: `page.${++seq}`, name: 'add-to-cart', time: Date.now(), session: 's', cart: 'c', data };
  jsLayer.push({ ecommerce: null }, { event: 'add_to_cart', ecommerce: { currency: 'GBP', value: p.price / 100,
    items: [{ item_id: id, item_name: p.title, item_category: p.category, price: p.price / 100, quantity: 1 }] } });
  jsQueue.push(JSON.stringify(r));
  const took = (now() - start) * 1000;
  if (i >= warm) plain.push(took);
  if (i % 40 === 39) jsCart.clear();
}

const p50 = quantile(observe, 0.5);
const p95 = quantile(observe, 0.95);
const plain50 = quantile(plain, 0.5);
const plain95 = quantile(plain, 0.95);
console.log(`stream cost per cart change (${ITERATIONS} adds, ${queued} delivered in batches of 20): p50 ${p50.toFixed(1)} µs, p95 ${p95.toFixed(1)} µs; ` +
  `plain JS floor p50 ${plain50.toFixed(2)} µs, p95 ${plain95.toFixed(2)} µs`);
record({ bench: 'events', figure: 'stream per cart change p50', value: p50, unit: 'µs', peer: 'plain-JS tracker', peerValue: plain50, target: '< 1000 µs p95' });
record({ bench: 'events', figure: 'stream per cart change p95', value: p95, unit: 'µs', peer: 'plain-JS tracker', peerValue: plain95, target: '< 1000 µs p95' });

// ------------------------------------------------------------------------------------------ 2. metrics
function collected(carts) {
  const events = [];
  let n = 0;
  const ev = (name, time, i, data) => events.push({ id: `p${i}.${++n}`, name, time, session: `s${i}`, cart: `c${i}`, data });
  for (let i = 0; i < carts; i += 1) {
    const t = 1700000000000 + i * 60000;
    events.push({ id: `p${i}.${++n}`, name: 'page-view', time: t, session: `s${i}`,
      data: { path: '/', type: 'home', landing: true, source: { source: i % 4 ? 'direct' : 'google', medium: i % 4 ? 'none' : 'organic', campaign: '' } } });
    ev('view-item', t + 1000, i, { currency: 'GBP', value: 500 });
    ev('cart-created', t + 2000, i, {});
    ev('add-to-cart', t + 2000, i, { currency: 'GBP', value: 500, responseMs: 20 + (i % 50) });
    ev('nudge-shown', t + 3000, i, { heldOut: i % 10 === 0 });
    if (i % 3) ev('checkout-started', t + 4000 + i, i, { sinceCartMs: 2000 + i });
    if (i % 3) ev('checkout-step', t + 5000, i, { step: 'contact' });
    if (i % 3) ev('checkout-step', t + 6000, i, { step: 'payment' });
    if (i % 5 === 1) ev('cart-abandoned', t + 1900000, i, { currency: 'GBP', count: 2, subtotal: 1000 });
    if (i % 3 && i % 5 !== 1) ev('purchase', t + 7000, i, { orderId: `o${i}`, currency: 'GBP', value: 1500, pages: 4, steps: 2 });
  }
  return events;
}
const events = collected(CARTS);
const metricsStore = await CartKeep.init({ currency: 'GBP', locale: 'en-GB', catalog, wasmBinary, behaviour: { enabled: false } });
const runs = [];
let m;
for (let i = 0; i < 12; i += 1) {
  const start = now();
  m = metricsStore.metrics({ events });
  if (i >= 2) runs.push(now() - start);
}
metricsStore.destroy();

const floorRuns = [];
for (let i = 0; i < 12; i += 1) {
  const start = now();
  const created = new Set();
  const completed = new Set();
  const firstCheckout = new Map();
  for (const e of events) {
    if (e.name === 'cart-created') created.add(e.cart);
    else if (e.name === 'purchase') completed.add(e.cart);
    else if (e.name === 'checkout-started' && !firstCheckout.has(e.cart)) firstCheckout.set(e.cart, e.data.sinceCartMs);
  }
  const times = [...firstCheckout.values()].sort((a, b) => a - b);
  const floor = { created: created.size, completed: completed.size, rate: 1 - completed.size / created.size, median: times[times.length >> 1] };
  if (i >= 2) floorRuns.push(now() - start);
  if (floor.created !== m.carts.created || floor.completed !== m.carts.completed) throw new Error('the floor disagrees with the core');
}
const metricsMs = quantile(runs, 0.5);
const floorMs = quantile(floorRuns, 0.5);
console.log(`metrics over ${events.length} records (${CARTS} carts): median ${metricsMs.toFixed(1)} ms ` +
  `(abandonment rate ${m.carts.abandonmentRate.toFixed(3)}, uplift ${m.uplift.difference.toFixed(3)} [${m.uplift.interval.map((v) => v.toFixed(3)).join(', ')}]); ` +
  `plain-JS floor (4 figures) ${floorMs.toFixed(2)} ms`);
record({ bench: 'events', figure: `metrics over ${events.length} records`, value: metricsMs, unit: 'ms', peer: 'plain-JS floor (4 KPIs)', peerValue: floorMs });
console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
