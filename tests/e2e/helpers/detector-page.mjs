// The detector page shared by the behaviour e2e test and bench/exit-corpus.bench.mjs: a fixed top bar with
// links and a search field, a text field, a coupon field and a <select> (tests/fixtures/traces/generate.mjs
// LAYOUT), CartKeep from dist/ with ouibounce, exit-intent and timeme.js listening on the same page; every
// decision is recorded in window.results with its (virtual) time.
import { readFileSync } from 'node:fs';
import { installReplayActions, installVirtualClock, TraceReplayer } from './trace-replay.mjs';

const root = new URL('../../../', import.meta.url);

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'";
const LAYOUT = { text: [300, 300], coupon: [300, 380], search: [900, 28], select: [300, 460] };
const VENDOR = {
  'ouibounce.js': 'node_modules/ouibounce/build/ouibounce.js',
  'exit-intent.js': 'node_modules/exit-intent/dist/exit-intent.umd.js',
  'timeme.js': 'node_modules/timeme.js/timeme.js',
};
export const catalog = [{ id: 'mug', title: 'Enamel Mug', price: 2299 }, { id: 'lamp', title: 'Lamp', price: 1999 }];

const CSS = `body{margin:0;font:16px sans-serif;min-height:6000px}
  .bar{position:fixed;top:0;left:0;right:0;height:56px;background:#234;color:#fff;display:flex;gap:24px;align-items:center;padding:0 24px;z-index:2}
  .bar a{color:#fff}
  .field{position:absolute;width:200px;height:30px;box-sizing:border-box}
  #search{left:800px;top:13px} #name{left:200px;top:285px} #coupon{left:200px;top:365px} #country{left:200px;top:445px}
  #modal{display:none}`;

function pageHtml(config, { vendors = true } = {}) {
  return `<!doctype html><html lang="${config.locale === 'ar' ? 'ar' : 'en-GB'}"><head><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/demo/__test/page.css"></head>
  <body data-cartkeep-page="product" data-cartkeep-product="mug">
  <header class="bar"><a href="#a">Shop</a><a href="#b">Lights</a><a href="#c">Kitchen</a><input id="search" class="field" type="search" aria-label="Search"></header>
  <input id="name" class="field" name="name" aria-label="Name"><input id="coupon" class="field" name="coupon" aria-label="Coupon">
  <select id="country" class="field" aria-label="Country"><option>UK</option><option>France</option><option>Kuwait</option></select>
  <div id="modal"></div>
  ${vendors ? '<script src="/demo/__test/vendor/ouibounce.js"></script><script src="/demo/__test/vendor/exit-intent.js"></script><script src="/demo/__test/vendor/timeme.js"></script>' : ''}
  <script src="/dist/cartkeep.js" data-config='${JSON.stringify(config)}'></script>
  <script src="/demo/__test/harness.js"></script></body></html>`;
}

// Records every detector's decisions with the (virtual) time they happened, and when the pointer left the
// document (a mouseout to nothing).
const HARNESS = `window.results = { cartkeep: [], ouibounce: [], exitIntent: [], events: [], left: [] };
  document.addEventListener('mouseout', (e) => { if (!e.relatedTarget) window.results.left.push(performance.now()); }, true);
  for (const name of ['exit-intent', 'risk', 'nudge-shown', 'nudge-accepted', 'nudge-dismissed']) {
    document.addEventListener('cartkeep:' + name, (e) => window.results.events.push([name, e.detail]));
  }
  document.addEventListener('cartkeep:exit-intent', (e) => window.results.cartkeep.push(e.detail));
  if (window.ouibounce) ouibounce(document.getElementById('modal'), { aggressive: true, callback: () => window.results.ouibounce.push(performance.now()) });
  if (window.ExitIntent) ExitIntent({ maxDisplays: 1000, onExitIntent: () => window.results.exitIntent.push(performance.now()) });
  if (window.TimeMe) TimeMe.initialize({ currentPageName: 'product', idleTimeoutInSeconds: 30 });`;

export async function openHarness(context, config, options) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  const html = pageHtml(config, options);
  await page.route('**/demo/__test/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = path.split('/').pop();
    if (path.endsWith('.html')) return route.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': CSP }, body: html });
    if (file === 'page.css') return route.fulfill({ contentType: 'text/css', body: CSS });
    if (file === 'harness.js') return route.fulfill({ contentType: 'text/javascript', body: HARNESS });
    if (VENDOR[file]) return route.fulfill({ contentType: 'text/javascript', body: readFileSync(new URL(VENDOR[file], root)) });
    return route.fulfill({ status: 404, body: '' });
  });
  return { page, problems };
}

export function rate(n, d) {
  return `${n}/${d} (${d ? ((100 * n) / d).toFixed(1) : '0.0'}%)`;
}

// A fresh page per trace (each detector starts clean, as for a new visitor), on the virtual clock, with
// real input. A move costs one frame of its page, so traces replay side by side, each worker with its own
// browser: a browser's one page is its foreground page, which Chromium does not run at a lowered process
// priority (several pages of one browser would compete with everything else on the machine at nice 5).
export const DEVICES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  touch: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};

export async function openReplayPage(context, origin, config, { touch }) {
  const { page, problems } = await openHarness(context, config);
  await page.addInitScript(installVirtualClock, { frozen: true });
  await page.addInitScript(installReplayActions);
  await page.goto(`${origin}/demo/__test/corpus.html`);
  await page.waitForFunction(() => window.CartKeep && window.results && window.__clock);
  // Resolve to true, not to the instance: Playwright would serialise the whole wasm heap.
  await page.evaluate(async () => { await CartKeep.ready; return true; });
  // The shopper came from another page of the shop: a history entry of this same document stands for it,
  // so a back navigation (the back-button guard continues it) lands there instead of unloading the page.
  await page.evaluate(() => history.pushState({ previousPage: true }, '', location.href));
  const client = await context.newCDPSession(page);
  return { page, problems, replayer: new TraceReplayer(page, client, { touch }) };
}


// Replays each trace on a fresh detector page (one browser per worker, `pages` side by side) and counts, per
// category, the traces where each detector decided an exit. CartKeep with its defaults; peers as in
// behaviour.test.mjs (ouibounce aggressive, exit-intent maxDisplays high).
export async function runDetectorCorpus(traces, { origin, launch, pages = 4 }) {
  const queue = [...traces];
  const done = [];
  const problems = [];
  await Promise.all(Array.from({ length: Math.max(1, Math.min(pages, traces.length)) }, async () => {
    const browser = await launch();
    try {
      for (let trace = queue.shift(); trace; trace = queue.shift()) {
        const config = { currency: 'GBP', catalog, nudges: { enabled: false }, ...(trace.options || {}) };
        const context = await browser.newContext(DEVICES[trace.device]);
        try {
          const opened = await openReplayPage(context, origin, config, { touch: trace.device === 'touch' });
          await opened.replayer.replay(trace);
          const results = await opened.page.evaluate(() => window.results);
          // Decision latency: from the pointer's last leave of the document (the page's clock when it arrived) to
          // each detector's first decision; negative is a decision ahead of the leave.
          const leftAt = results.left.length ? results.left[results.left.length - 1] : null;
          const firstAt = { cartkeep: results.cartkeep[0]?.t, ouibounce: results.ouibounce[0], exitIntent: results.exitIntent[0] };
          const latency = Object.fromEntries(Object.entries(firstAt).map(([name, at]) => [name, leftAt !== null && at !== undefined ? at - leftAt : null]));
          done.push({ trace, latency, fired: { cartkeep: results.cartkeep.length > 0, ouibounce: results.ouibounce.length > 0, exitIntent: results.exitIntent.length > 0 } });
          problems.push(...opened.problems.map((p) => `${trace.name}: ${p}`));
        } finally {
          await context.close();
        }
      }
    } finally {
      await browser.close();
    }
  }));
  const table = {};
  for (const { trace, fired, latency } of done) {
    const row = (table[trace.category] ??= { label: trace.label, n: 0, cartkeep: 0, ouibounce: 0, exitIntent: 0, wrong: [], latency: { cartkeep: [], ouibounce: [], exitIntent: [] } });
    row.n++;
    for (const name of ['cartkeep', 'ouibounce', 'exitIntent']) {
      if (fired[name]) row[name]++;
      if (trace.label === 'exit' && latency[name] !== null) row.latency[name].push(latency[name]);
    }
    if (fired.cartkeep !== (trace.label === 'exit')) row.wrong.push(trace.name);
  }
  return { table, problems };
}

// One line per category: recall for exit categories, false positives for stay categories.
export function formatDetectorTable(table) {
  const lines = ['| category | label | traces | CartKeep | ouibounce | exit-intent |', '| --- | --- | --- | --- | --- | --- |'];
  for (const [category, row] of Object.entries(table)) {
    const cell = (k) => rate(row[k], row.n);
    lines.push(`| ${category} | ${row.label === 'exit' ? 'exit (recall)' : 'stay (false positives)'} | ${row.n} | ${cell('cartkeep')} | ${cell('ouibounce')} | ${cell('exitIntent')} |`);
  }
  return lines.join('\n');
}

// Decision latency per exit category: median and 95th percentile in ms after the pointer left, for the
// traces where the detector decided.
export function formatLatencyTable(table) {
  const quantile = (values, q) => {
    if (!values.length) return null;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  };
  const ms = (v) => Math.round(v) + 0; // + 0: no "-0"
  const cell = (values) => (values.length ? `${ms(quantile(values, 0.5))} / ${ms(quantile(values, 0.95))} ms` : 'none');
  const lines = ['| category | CartKeep median / p95 | ouibounce median / p95 | exit-intent median / p95 |', '| --- | --- | --- | --- |'];
  const all = { cartkeep: [], ouibounce: [], exitIntent: [] };
  for (const [category, row] of Object.entries(table)) {
    if (row.label !== 'exit') continue;
    for (const name of Object.keys(all)) all[name].push(...row.latency[name]);
    lines.push(`| ${category} | ${cell(row.latency.cartkeep)} | ${cell(row.latency.ouibounce)} | ${cell(row.latency.exitIntent)} |`);
  }
  lines.push(`| all exits | ${cell(all.cartkeep)} | ${cell(all.ouibounce)} | ${cell(all.exitIntent)} |`);
  return lines.join('\n');
}

// The targets: recall >= 99% in every exit category, false positives <= 1% in every stay category, and
// ouibounce better in no category. Returns the failures.
export function detectorTargetFailures(table) {
  const failures = [];
  for (const [category, row] of Object.entries(table)) {
    if (row.label === 'exit') {
      if (row.cartkeep / row.n < 0.99) failures.push(`${category}: recall ${row.cartkeep}/${row.n} (${row.wrong.join(', ')})`);
      if (row.ouibounce > row.cartkeep) failures.push(`${category}: ouibounce recall ${row.ouibounce} > ${row.cartkeep}`);
    } else {
      if (row.cartkeep / row.n > 0.01) failures.push(`${category}: false positives ${row.cartkeep}/${row.n} (${row.wrong.join(', ')})`);
      if (row.ouibounce < row.cartkeep) failures.push(`${category}: ouibounce false positives ${row.ouibounce} < ${row.cartkeep}`);
    }
  }
  return failures;
}
