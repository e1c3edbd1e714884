// Cost per pointer event through the behaviour path, three ways:
//  1. Node against dist/: instance.behaviour.move (the call the mousemove sensor makes: Embind call, dwell
//     accounting, trajectory classification), with the wasm heap before and after (no growth).
//  2. Chromium, the whole path: a mousemove event dispatched on the document, through CartKeep's DOM sensor,
//     into the wasm core and back with its decision count; beside, on their own pages, the same events
//     reaching an empty listener (the browser's dispatch cost alone) and exit-intent's (npm) throttled
//     handler. Timed in batches of 1000 events (the page clock is coarse), median and p99 over batches.
//  3. Native C++: see bench/native/behaviour_bench.cpp (built and run here when cmake is available).
// Figures only; not a test.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { launchBrowser, startDemo } from '../tests/e2e/helpers/browser.mjs';
import { buildBenchTarget } from './native-tree.mjs';

const root = new URL('../', import.meta.url);
const dist = new URL('../dist/', import.meta.url);
const pick = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const fmt = (us) => `${us.toFixed(3).padStart(8)} µs`;

// ---- 1. Node ------------------------------------------------------------------------------------------
async function nodeRun() {
  const CartKeep = await import(new URL('cartkeep.mjs', dist).href);
  const wasmBinary = readFileSync(new URL('cartkeep.wasm', dist));
  const store = await CartKeep.init({ currency: 'GBP', catalog: [{ id: 'mug', title: 'Mug', price: 850 }], wasmBinary });
  const b = store.behaviour;
  const t0 = performance.now() + 1;
  b.observe([t0, 'session', { visitor: 'bench', session: 'bench', epochMs: Date.now() }]);
  b.observe([t0, 'viewport', 1280, 800, false]);
  b.observe([t0, 'route', '/product/mug', '', 'mug']);
  let t = t0;
  const move = (i) => {
    t += 16;
    b.move(t, 300 + (i % 600), 200 + ((i * 7) % 400));
  };
  for (let i = 0; i < 20000; i++) move(i); // warm up the JIT and the core
  const module = b.module;
  const heapBefore = module.HEAP8 ? module.HEAP8.length : NaN;
  const perEvent = [];
  let i = 0;
  for (let k = 0; k < 400; k++) {
    const start = process.hrtime.bigint();
    for (let j = 0; j < 1000; j++) move(i++);
    perEvent.push(Number(process.hrtime.bigint() - start) / 1000 / 1000);
  }
  const heapAfter = module.HEAP8 ? module.HEAP8.length : NaN;
  perEvent.sort((a, c) => a - c);
  const decisions = store.behaviour.session.call('behaviourDrain', Date.now(), false).outputs.length;
  store.destroy();
  return { median: pick(perEvent, 0.5), p99: pick(perEvent, 0.99), heapBefore, heapAfter, decisions };
}

// ---- 2. Chromium --------------------------------------------------------------------------------------
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'";
const VENDOR = { 'exit-intent.js': 'node_modules/exit-intent/dist/exit-intent.umd.js' };
const SETUPS = {
  empty: `<script src="/demo/__bench/empty.js"></script>`,
  exitIntent: `<script src="/demo/__bench/vendor/exit-intent.js"></script><script src="/demo/__bench/exit-intent-setup.js"></script>`,
  cartkeep: `<script src="/dist/cartkeep.js" data-config='${JSON.stringify({ currency: 'GBP', catalog: [{ id: 'mug', title: 'Mug', price: 850 }], nudges: { enabled: false } })}'></script>`,
};
const SCRIPTS = {
  'empty.js': `document.addEventListener('mousemove', () => {}, { capture: true, passive: true }); window.benchReady = Promise.resolve();`,
  'exit-intent-setup.js': `ExitIntent({ maxDisplays: 1000, onExitIntent: () => {} }); window.benchReady = Promise.resolve();`,
  // Batches of synthetic mousemoves on the document, reading pattern in the middle of the page.
  'driver.js': `let i = 0;
    const fire = () => { i++; document.dispatchEvent(new MouseEvent('mousemove', { clientX: 300 + (i * 7) % 600, clientY: 250 + (i * 13) % 300, bubbles: true })); };
    window.warmUp = async () => {
      if (window.CartKeep) await CartKeep.ready;
      else await window.benchReady;
      for (let k = 0; k < 20000; k++) fire();
      return true;
    };
    window.runBatches = (batches, size) => {
      const out = [];
      for (let k = 0; k < batches; k++) {
        const start = performance.now();
        for (let j = 0; j < size; j++) fire();
        out.push(((performance.now() - start) * 1000) / size);
      }
      return out;
    };`,
};

// The three pages run in turns (rounds of 20 batches each), so load from elsewhere on the machine falls on
// all three alike.
async function chromiumRun() {
  const demo = await startDemo();
  const browser = await launchBrowser();
  const pages = {};
  const samples = {};
  try {
    for (const [name, head] of Object.entries(SETUPS)) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.route('**/demo/__bench/**', (route) => {
        const path = new URL(route.request().url()).pathname;
        const file = path.split('/').pop();
        if (path.endsWith('.html')) {
          return route.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': CSP },
            body: `<!doctype html><html><body><p>bench</p>${head}<script src="/demo/__bench/driver.js"></script></body></html>` });
        }
        if (VENDOR[file]) return route.fulfill({ contentType: 'text/javascript', body: readFileSync(new URL(VENDOR[file], root)) });
        return route.fulfill({ contentType: 'text/javascript', body: SCRIPTS[file] || '' });
      });
      await page.goto(`${demo.origin}/demo/__bench/page.html`);
      await page.waitForFunction(() => window.runBatches);
      await page.evaluate(() => window.warmUp());
      pages[name] = page;
      samples[name] = [];
    }
    for (let round = 0; round < 15; round++) {
      for (const [name, page] of Object.entries(pages)) samples[name].push(...(await page.evaluate(() => window.runBatches(20, 1000))));
    }
    const decisions = await pages.cartkeep.evaluate(async () => (await CartKeep.ready).behaviour.summary().nudges.decided);
    const results = {};
    for (const [name, list] of Object.entries(samples)) {
      list.sort((a, b) => a - b);
      results[name] = { median: pick(list, 0.5), p99: pick(list, 0.99) };
    }
    results.cartkeep.decisions = decisions;
    return results;
  } finally {
    await browser.close();
    await demo.close();
  }
}

// ---- 3. Native ----------------------------------------------------------------------------------------
function nativeRun() {
  let binary;
  try {
    binary = buildBenchTarget('behaviour_bench', 'bench/native');
  } catch (error) {
    return { error: error.message };
  }
  const run = spawnSync(binary, ['2000'], { encoding: 'utf8' });
  if (run.status !== 0) return { error: run.stderr };
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const node = await nodeRun();
const browser = await chromiumRun();
const native = nativeRun();
console.log('pointer event cost, per event (median and p99 over batches of 1000):');
if (native.error) console.log(`  native C++ core (Behaviour::pointerMove): not built (${native.error.split('\n')[0]})`);
else console.log(`  ${'native C++ core (Behaviour::pointerMove)'.padEnd(52)} ${fmt(native.medianNs / 1000)} ${fmt(native.p99Ns / 1000)}   (${native.medianNs.toFixed(1)} ns, p99 ${native.p99Ns.toFixed(1)} ns; loop alone ${native.baselineMedianNs.toFixed(1)} ns)`);
console.log(`  ${'Node: behaviour.move -> wasm core'.padEnd(52)} ${fmt(node.median)} ${fmt(node.p99)}`);
console.log(`  ${'Chromium: empty mousemove listener (baseline)'.padEnd(52)} ${fmt(browser.empty.median)} ${fmt(browser.empty.p99)}`);
console.log(`  ${'Chromium: exit-intent (npm) handler'.padEnd(52)} ${fmt(browser.exitIntent.median)} ${fmt(browser.exitIntent.p99)}`);
console.log(`  ${'Chromium: CartKeep sensor -> wasm core -> decision'.padEnd(52)} ${fmt(browser.cartkeep.median)} ${fmt(browser.cartkeep.p99)}`);
const own = browser.cartkeep.median - browser.empty.median;
console.log(`  CartKeep / empty listener: ${(browser.cartkeep.median / browser.empty.median).toFixed(2)}x (${own >= 0 ? '+' : ''}${own.toFixed(3)} µs/event);` +
  ` CartKeep / exit-intent: ${(browser.cartkeep.median / browser.exitIntent.median).toFixed(2)}x; nudge decisions while reading: ${browser.cartkeep.decisions}`);
console.log('  (Chromium times include creating and dispatching each MouseEvent; the page clock is 0.1 ms, hence batches.)');
console.log(`  wasm heap in Node ${node.heapBefore} B before, ${node.heapAfter} B after (${node.heapAfter === node.heapBefore ? 'no growth' : 'GREW'}); decisions while reading: ${node.decisions}`);
