// Suggestion benchmark: "picked for you", top 10 (top 20 on the click log) for a 10-item session (ten product views with dwell times),
// as wasm in Chromium (instance.suggest: JSON in, ranked items with reasons out) beside a plain JS
// implementation of the same scoring (bench/suggest-reference.mjs) in the same page, over
//   - the catalog of every product in the UCI Online Retail log (tools/demo-catalog with no limit) and its
//     index built by tools/suggest-index (falls back to the 300-product demo catalog without the data), and
//   - a generated 100,000-product catalog with its index (suggest-index synth), and
//   - the synthetic click log's 3,000 products with its index of viewed-next rules (suggest-index synth-log), top 20.
// Prints p50/p95 in microseconds, the ratio JS / wasm, and whether both gave the same suggestions; beside them
// the round trip of status() (page -> worker -> page with no scoring), the part of a call that is transport.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

import { startServer } from '../scripts/serve.mjs';
import { record } from './report.mjs';
import { DEFAULT_DATASET, buildCatalog, readDataset, serializeCatalog } from '../tools/demo-catalog/build-catalog.mjs';
import { launchBrowser } from '../tests/e2e/helpers/browser.mjs';
import { buildBenchTarget } from './native-tree.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}build/bench`;
mkdirSync(out, { recursive: true });
const ITERATIONS = Number(process.env.BENCH_ITERATIONS || 300);

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

// ---- data --------------------------------------------------------------------------------------------
// The index tool from the native test tree when it is configured (its speed is not what is measured here),
// else from the benchmarks' own Release tree.
function indexTool() {
  if (!existsSync(`${root}build/native/CMakeCache.txt`)) return buildBenchTarget('suggest-index', 'tools/suggest-index');
  run('cmake', ['--build', '--preset', 'native', '--target', 'suggest-index']);
  return `${root}build/native/tools/suggest-index/suggest-index`;
}

function prepare(tool) {
  const cases = [];
  if (existsSync(DEFAULT_DATASET)) {
    const catalog = buildCatalog(readDataset(DEFAULT_DATASET), { limit: Infinity });
    writeFileSync(`${out}/suggest-retail-catalog.json`, serializeCatalog(catalog));
    run(tool, ['build', DEFAULT_DATASET, '--preset', 'online-retail', '--only-catalog', `${out}/suggest-retail-catalog.json`,
      '--catalog-version', 'bench-retail', '--out', `${out}/suggest-retail-index.bin`, '--quiet']);
    cases.push({ name: `Online Retail, every product (${catalog.length.toLocaleString('en')})`, catalog: 'suggest-retail-catalog.json', index: 'suggest-retail-index.bin' });
  } else {
    console.log(`(no ${DEFAULT_DATASET}: the real-data case uses the committed 300-product demo catalog and index)`);
    writeFileSync(`${out}/suggest-demo-catalog.json`, readFileSync(`${root}demo/data/catalog.json`));
    writeFileSync(`${out}/suggest-demo-index.bin`, readFileSync(`${root}demo/data/suggest-index.bin`));
    cases.push({ name: 'demo catalog (300)', catalog: 'suggest-demo-catalog.json', index: 'suggest-demo-index.bin' });
  }
  run(tool, ['synth', '--items', '100000', '--out-index', `${out}/suggest-synth-index.bin`, '--out-catalog', `${out}/suggest-synth-catalog.json`]);
  cases.push({ name: 'generated (100,000)', catalog: 'suggest-synth-catalog.json', index: 'suggest-synth-index.bin' });
  // The case: top 20 on a 3,000-product index of a click log (every step of the viewed-next rules runs).
  const clicks = `${out}/suggest-bench-clicks.csv`;
  run(tool, ['synth-log', '--items', '3000', '--sessions', '8000', '--out', clicks]);
  run(tool, ['build', clicks, '--basket-column', 'session', '--item-column', 'item', '--time-column', 'time', '--event-column', 'type',
    '--quantity-column', '', '--out', `${out}/suggest-clicks-index.bin`, '--quiet']);
  const ids = [...new Set(readFileSync(clicks, 'utf8').split('\n').slice(1).filter(Boolean).map((line) => line.split(',')[1]))];
  writeFileSync(`${out}/suggest-clicks-catalog.json`, JSON.stringify(ids.map((id, i) => (
    { id, title: `Product ${id}`, price: 500 + ((i * 37) % 5000), category: `Category ${i % 40}`, tags: [`tag${i % 97}`, `tag${i % 13}`] }))));
  cases.push({ name: `synthetic click log (${ids.length.toLocaleString('en')}), top 20`, catalog: 'suggest-clicks-catalog.json',
    index: 'suggest-clicks-index.bin', limit: 20 });
  return cases;
}

// ---- Chromium: wasm and the JS reference in the same page --------------------------------------------
async function chromiumRun(cases) {
  await build({ entryPoints: [`${root}bench/suggest-reference.mjs`], bundle: true, format: 'iife', globalName: 'SuggestReference',
    outfile: `${out}/suggest-reference.js`, logLevel: 'warning' });
  const page = '<!doctype html><meta charset="utf-8"><title>suggest bench</title><script src="/dist/cartkeep.js"></script><script src="/bench/suggest-reference.js"></script>';
  // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
  const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.bin': 'application/octet-stream' };
  const server = await startServer({ port: 0, quiet: true, hooks: {
    onRequest(url, req, res) {
      let file = null;
      if (url.pathname === '/bench/suggest.html') { res.writeHead(200, { 'content-type': 'text/html', ...isolation }).end(page); return true; }
      if (['/dist/cartkeep.js', '/dist/cartkeep.worker.js', '/dist/cartkeep.wasm'].includes(url.pathname)) file = `${root}${url.pathname.slice(1)}`;
      else if (/^\/bench\/[\w.-]+$/.test(url.pathname)) file = `${out}/${url.pathname.slice('/bench/'.length)}`;
      if (!file || !existsSync(file)) return false;
      res.writeHead(200, { 'content-type': types[file.slice(file.lastIndexOf('.'))] || 'application/octet-stream', ...isolation }).end(readFileSync(file));
      return true;
    },
  } });
  const browser = await launchBrowser();
  try {
    const tab = await browser.newPage();
    await tab.goto(`${server.origin}/bench/suggest.html`);
    const results = [];
    for (const c of cases) {
      results.push(await tab.evaluate(async ({ c, iterations }) => {
        const catalog = await (await fetch(`/bench/${c.catalog}`)).json();
        const bytes = new Uint8Array(await (await fetch(`/bench/${c.index}`)).arrayBuffer());
        const store = await window.CartKeep.init({ currency: 'GBP', locale: 'en-GB', catalog, suggestions: { rememberProfile: false } });
        const status = await store.suggest.loadIndex(bytes);
        // The session: ten in-stock products spread over the catalog, viewed over the last ten minutes.
        const now = Date.now();
        const inStock = catalog.filter((p) => p.stock !== 0);
        const views = Array.from({ length: 10 }, (_, i) => ({
          productId: inStock[(i * 7919 + 13) % inStock.length].id, at: now - (10 - i) * 60000, dwellMs: 2000 + ((i * 7000) % 28000) }));
        for (const v of views) await store.suggest.view(v.productId, { at: v.at, dwellMs: v.dwellMs });
        const o = store.options.suggestions;
        const model = new window.SuggestReference.ReferenceModel(catalog, bytes, {
          neighbours: o.weights.neighbours, viewedTogether: o.weights.viewedTogether, viewedNext: o.weights.viewedNext,
      content: o.weights.content,
          popularity: o.weights.popularity, diversity: o.diversity, viewHalfLifeMs: o.viewHalfLifeHours * 3600000 });
        const limit = c.limit ?? 10;
        const request = { placement: 'picked-for-you', limit, now };
        const wasmRun = async () => (await store.suggest(request)).items;
        const jsRun = () => model.pickedForYou(views, now, limit, store.options.strings);
        const a = await wasmRun();
        const b = jsRun();
        const same = a.length === b.length && a.every((item, i) => item.productId === b[i].productId &&
          Math.abs(item.score - b[i].score) <= 1e-12 * Math.abs(item.score) && item.reason.text === b[i].reason.text);
        // Each sample awaits its answer: what a page waits for (the core answers by request).
        const time = async (fn) => {
          for (let i = 0; i < Math.min(50, iterations); i++) await fn();
          const samples = [];
          for (let i = 0; i < iterations; i++) {
            const start = performance.now();
            await fn();
            samples.push((performance.now() - start) * 1000);
          }
          return samples;
        };
        // Alternate them so none gets a quieter stretch of the machine.
        const wasm = [];
        const js = [];
        const roundTrip = [];
        for (let round = 0; round < 4; round++) {
          wasm.push(...await time(wasmRun));
          js.push(...await time(jsRun));
          roundTrip.push(...await time(() => store.suggest.status()));
        }
        store.destroy();
        return { name: c.name, limit, products: catalog.length, indexItems: status.index.items, matched: status.index.matched, isolated: window.crossOriginIsolated,
          wasm, js, roundTrip, same, sample: a.slice(0, 3).map((i) => `${i.productId} (${i.reason.text})`), firstDiff: same ? null : { wasm: a.map((i) => i.productId), js: b.map((i) => i.productId) } };
      }, { c, iterations: Math.ceil(ITERATIONS / 4) }));
    }
    return results;
  } finally {
    await browser.close();
    await server.close();
  }
}

const percentile = (sorted, p) => sorted[Math.floor(p * (sorted.length - 1))];
const summarise = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
};
const fmt = (us) => `${us.toFixed(1).padStart(10)} µs`;

const cases = prepare(indexTool());
const results = await chromiumRun(cases);
console.log(`suggest: "picked for you", top 10 (top 20 where said) for a 10-item session (10 product views); ${ITERATIONS} iterations each, in Chromium` +
  ` (load average ${loadavg().map((v) => v.toFixed(1)).join(' ')})`);
let failed = false;
for (const r of results) {
  const wasm = summarise(r.wasm);
  const js = summarise(r.js);
  console.log(`  ${r.name}: index of ${r.indexItems.toLocaleString('en')} items, ${r.matched.toLocaleString('en')} in the catalog;` +
    ` suggestions ${r.same ? 'agree' : 'DISAGREE'} (${r.sample.join(', ')})`);
  if (!r.same) {
    failed = true;
    console.log(`    wasm ${r.firstDiff.wasm.join(' ')}\n    js   ${r.firstDiff.js.join(' ')}`);
  }
  console.log(`    ${'wasm (instance.suggest, JSON both ways)'.padEnd(46)} p50 ${fmt(wasm.p50)}  p95 ${fmt(wasm.p95)}`);
  const roundTrip = summarise(r.roundTrip);
  console.log(`    ${'  of it, the round trip (status(): no scoring)'.padEnd(46)} p50 ${fmt(roundTrip.p50)}  p95 ${fmt(roundTrip.p95)}`);
  console.log(`    ${'plain JS (same scoring, objects)'.padEnd(46)} p50 ${fmt(js.p50)}  p95 ${fmt(js.p95)}`);
  console.log(`    ratio JS / wasm: p50 ${(js.p50 / wasm.p50).toFixed(2)}x, p95 ${(js.p95 / wasm.p95).toFixed(2)}x` +
    `${r.isolated ? '' : ' (timer not isolated: 100 µs resolution)'}`);
  for (const key of ['p50', 'p95']) {
    record({ bench: 'suggest', figure: `top ${r.limit}, 10-view session, ${r.name}, wasm in Chromium, ${key}`, value: wasm[key], unit: 'µs',
      peer: 'plain JS, same scoring, same page', peerValue: js[key] });
  }
}
process.exit(failed ? 1 : 0);
