// Quote benchmark: a 50-line cart in a store with 20 shipping zones, timed natively (C++), as wasm in
// Chromium (instance.quote: JSON in, itemised JSON out), and as a JS implementation of the same quote
// with dinero.js in the same Chromium page (and in Node). Prints p50/p95 in microseconds and the ratios.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

import { startServer } from '../scripts/serve.mjs';
import { record } from './report.mjs';
import { prepareStore, quoteWithDinero } from '../tests/js/helpers/quote-dinero.mjs';
import { launchBrowser } from '../tests/e2e/helpers/browser.mjs';
import { buildBenchTarget } from './native-tree.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}build/bench`;
mkdirSync(out, { recursive: true });
const ITERATIONS = Number(process.env.BENCH_ITERATIONS || 3000);

// ---- the store and the cart ------------------------------------------------------------------------
const COUNTRIES = ['FR', 'DE', 'IE', 'NL', 'BE', 'ES', 'IT', 'PT', 'AT', 'DK', 'SE', 'FI', 'PL', 'CZ', 'US', 'CA', 'AU', 'NZ', 'JP'];
const catalog = [];
for (let i = 0; i < 200; i++) {
  catalog.push({ id: `sku-${i}`, title: `Product ${i}`, price: 199 + ((i * 7919) % 9800), category: i % 3 ? 'Home' : 'Kitchen',
    taxCategory: i % 5 ? 'standard' : 'reduced', weight: 100 + (i % 20) * 50 });
}
const zones = COUNTRIES.map((country, i) => ({
  id: `zone-${country.toLowerCase()}`, name: `Zone ${country}`, countries: [country],
  tax: { standard: String(17 + (i % 9)), reduced: String(5 + (i % 4)) },
  methods: [
    { id: 'standard', name: 'Standard', rate: { type: 'flat', amount: 499 + i * 10 }, freeAbove: 1000000, transitDays: { min: 3, max: 6 } },
    { id: 'express', name: 'Express', rate: { type: 'flat', amount: 1499 + i * 10 }, transitDays: { min: 1, max: 2 } },
  ],
}));
zones.push({ id: 'uk', name: 'United Kingdom', countries: ['GB'], tax: { standard: '20', reduced: '5' },
  methods: [
    { id: 'standard', name: 'Standard', rate: { type: 'flat', amount: 395 }, freeAbove: 1000000, transitDays: { min: 2, max: 3 } },
    { id: 'express', name: 'Express', rate: { type: 'flat', amount: 795 }, transitDays: { min: 1, max: 1 } },
  ] });
const options = {
  currency: 'GBP', locale: 'en-GB', catalog,
  rounding: { mode: 'half-even', level: 'line' },
  tax: { pricesIncludeTax: true, shippingTaxable: true },
  shipping: { defaultDestination: { country: 'GB' }, zones },
  coupons: [
    { code: 'WELCOME10', type: 'percentage', rate: '12.5', categories: ['Kitchen'], stacking: 'combinable' },
    { code: 'FIVE', type: 'fixed', amount: 500, stacking: 'combinable' },
  ],
  fees: [{ id: 'card', name: 'Card fee', type: 'percentage', rate: '1.4', base: 'order', paymentMethods: ['card'] }],
  delivery: { processingDays: 1, cutoff: '14:00', timeZone: 'Europe/London' },
};
const request = {
  // The last zone matched is GB: 19 zones are tried first.
  destination: { country: 'GB', postcode: 'SW1A 1AA' },
  coupons: ['WELCOME10', 'FIVE'], paymentMethod: 'card', now: '2024-12-02T11:45',
  lines: Array.from({ length: 50 }, (_, i) => ({ productId: `sku-${(i * 37) % 200}`, quantity: 1 + (i % 4) })),
};
writeFileSync(`${out}/quote-options.json`, JSON.stringify(options));
writeFileSync(`${out}/quote-request.json`, JSON.stringify(request));

const percentile = (sorted, p) => sorted[Math.floor(p * (sorted.length - 1))];
const summarise = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
};
const fmt = (us) => `${us.toFixed(1).padStart(9)} µs`;

// ---- native ------------------------------------------------------------------------------------------
function native() {
  const run = spawnSync(buildBenchTarget('quote_bench', 'bench/native'), [`${out}/quote-options.json`, `${out}/quote-request.json`, String(ITERATIONS)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

// ---- Chromium: wasm and dinero.js in the same page --------------------------------------------------
async function chromiumRun() {
  await build({ entryPoints: [`${root}tests/js/helpers/quote-dinero.mjs`], bundle: true, format: 'iife', globalName: 'QuoteDinero',
    outfile: `${out}/quote-dinero.js`, logLevel: 'warning' });
  const page = `<!doctype html><meta charset="utf-8"><title>quote bench</title><script src="/dist/cartkeep.js"></script><script src="/bench/quote-dinero.js"></script>`;
  const server = await startServer({ port: 0, quiet: true, hooks: {
    onRequest(url, req, res) {
      // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
      const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
      if (url.pathname === '/bench/quote.html') { res.writeHead(200, { 'content-type': 'text/html', ...isolation }).end(page); return true; }
      if (url.pathname === '/bench/quote-dinero.js') { res.writeHead(200, { 'content-type': 'text/javascript', ...isolation }).end(readFileSync(`${out}/quote-dinero.js`)); return true; }
      if (url.pathname === '/dist/cartkeep.js' || url.pathname === '/dist/cartkeep.wasm') {
        const wasm = url.pathname.endsWith('.wasm');
        res.writeHead(200, { 'content-type': wasm ? 'application/wasm' : 'text/javascript', ...isolation }).end(readFileSync(`${root}dist/${wasm ? 'cartkeep.wasm' : 'cartkeep.js'}`));
        return true;
      }
      return false;
    },
  } });
  const browser = await launchBrowser();
  try {
    const tab = await browser.newPage();
    await tab.goto(`${server.origin}/bench/quote.html`);
    return await tab.evaluate(async ({ options, request, iterations }) => {
      const store = await window.CartKeep.init(options);
      const model = window.QuoteDinero.prepareStore(options, { strict: true });
      // Each sample awaits its answer: what a page waits for (the core answers by request).
      const time = async (fn) => {
        for (let i = 0; i < 300; i++) await fn();
        const samples = [];
        for (let i = 0; i < iterations; i++) {
          const start = performance.now();
          await fn();
          samples.push((performance.now() - start) * 1000);
        }
        return samples;
      };
      const wasmTotal = (await store.quote(request)).total;
      const dineroTotal = window.QuoteDinero.quoteWithDinero(model, request)[0];
      return {
        isolated: window.crossOriginIsolated,
        wasm: await time(() => store.quote(request)),
        dinero: await time(() => window.QuoteDinero.quoteWithDinero(model, request)),
        wasmTotal, dineroTotal,
      };
    }, { options, request, iterations: ITERATIONS });
  } finally {
    await browser.close();
    await server.close();
  }
}

function nodeDinero() {
  const model = prepareStore(options, { strict: true });
  for (let i = 0; i < 300; i++) quoteWithDinero(model, request);
  const samples = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = process.hrtime.bigint();
    quoteWithDinero(model, request);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return { ...summarise(samples), total: quoteWithDinero(model, request)[0] };
}

const nativeResult = native();
const browserResult = await chromiumRun();
const wasm = summarise(browserResult.wasm);
const dinero = summarise(browserResult.dinero);
const nodeResult = nodeDinero();
console.log(`quote: 50-line cart, 20 zones (destination in the last), 2 coupons, fee, VAT by zone; ${ITERATIONS} iterations each`);
console.log(`  totals: native ${nativeResult.total}, wasm ${browserResult.wasmTotal}, dinero.js ${browserResult.dineroTotal}` +
  `${nativeResult.total === browserResult.wasmTotal && browserResult.wasmTotal === browserResult.dineroTotal ? ' (agree)' : ' (DISAGREE)'}`);
console.log(`  ${'implementation'.padEnd(40)} ${'p50'.padStart(12)} ${'p95'.padStart(12)}`);
console.log(`  ${'native C++ (Engine::quote, -O3)'.padEnd(40)} ${fmt(nativeResult.p50)} ${fmt(nativeResult.p95)}`);
console.log(`  ${'wasm in Chromium (instance.quote)'.padEnd(40)} ${fmt(wasm.p50)} ${fmt(wasm.p95)}`);
console.log(`  ${'dinero.js in Chromium (same quote)'.padEnd(40)} ${fmt(dinero.p50)} ${fmt(dinero.p95)}`);
console.log(`  ${'dinero.js in Node'.padEnd(40)} ${fmt(nodeResult.p50)} ${fmt(nodeResult.p95)}`);
console.log(`  ratio dinero.js / wasm (Chromium, p50): ${(dinero.p50 / wasm.p50).toFixed(2)}x; wasm / native (p50): ${(wasm.p50 / nativeResult.p50).toFixed(2)}x` +
  `${browserResult.isolated ? '' : ' (timer not isolated: 100 µs resolution)'}`);
for (const [percentile, key] of [['p50', 'p50'], ['p95', 'p95']]) {
  record({ bench: 'quote', figure: `50-line quote, wasm in Chromium, ${percentile}`, value: wasm[key], unit: 'µs',
    peer: 'dinero.js, same page', peerValue: dinero[key] });
}
record({ bench: 'quote', figure: '50-line quote, native C++, p50', value: nativeResult.p50, unit: 'µs', peer: 'dinero.js in Node', peerValue: nodeResult.p50 });
