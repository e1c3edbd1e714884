// What CartKeep costs a store's pages in Lighthouse (npm `lighthouse`, mobile defaults: simulated throttling of a
// mid-range phone on slow 4G) in Debian's Chromium: the demo's home, product, cart and checkout pages, each loaded
// LH_RUNS times (default 3) with CartKeep and LH_RUNS times with CartKeep's files blocked, interleaved so both sides
// meet the same machine load. Per page: the medians of main-thread work, TBT, LCP, CLS and the performance score on
// both sides, CartKeep's delta, and the spread (max - min) of the blocked runs as the noise floor. The figures go
// to bench/report.json under `lighthouse` (through bench/run.mjs). Targets: issue 19.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, waitForAnswer } from '../tests/e2e/helpers/browser.mjs';
import { startServer } from '../scripts/serve.mjs';
import { record, recordSection } from './report.mjs';

const RUNS = Number(process.env.LH_RUNS || 3);
const CHROME_PATH = process.env.CHROME_PATH || process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROME_FLAGS = ['--headless=new', ...CHROMIUM_ARGS];
// Everything CartKeep serves from dist/ (script, wasm, any worker beside them), and nothing of the shop's own
// (demo/assets/shop/cartkeep.js is the shop's wiring, which works without CartKeep). A pattern on the bare word
// would also block a page whose URL carries a `?cartkeep=` resume link.
const BLOCKED = ['*/dist/cartkeep*'];
const TARGETS = { mainThreadAddedMs: 50, tbtAddedMs: 0, clsAdded: 0.01 };

const catalog = JSON.parse(readFileSync(new URL('../demo/data/catalog.json', import.meta.url), 'utf8'));
const [first, second] = catalog;
// The cart and checkout pages are measured with a saved cart (two lines), as a shopper reaches them: before each
// of their runs the cart is put in the fresh profile's storage by a resume link, on a tab of its own.
const seedLink = `${encodeURIComponent(first.id)}:1,${encodeURIComponent(second.id)}:2`;
const ALL_PAGES = [
  { name: 'home', path: '/demo/index.html' },
  { name: 'product', path: `/demo/product.html?id=${encodeURIComponent(first.id)}` },
  { name: 'cart', path: '/demo/cart.html', seedCart: true },
  { name: 'checkout', path: '/demo/checkout.html', seedCart: true },
];
// LH_PAGES=cart,checkout measures only those pages.
const PAGES = process.env.LH_PAGES ? ALL_PAGES.filter((page) => process.env.LH_PAGES.split(',').includes(page.name)) : ALL_PAGES;
const SIDES = ['withCartKeep', 'blocked'];
// LH_SAVE_DIR=dir keeps each run's full Lighthouse report (open it in the Lighthouse viewer to see where time goes).
const SAVE_DIR = process.env.LH_SAVE_DIR;
if (SAVE_DIR) mkdirSync(SAVE_DIR, { recursive: true });

const METRICS = [
  // Lighthouse multiplies the main-thread figures by the simulated 4x CPU slowdown.
  { key: 'mainThreadMs', label: 'main-thread work', unit: 'ms', audit: 'mainthread-work-breakdown' },
  { key: 'tbtMs', label: 'TBT', unit: 'ms', audit: 'total-blocking-time' },
  { key: 'lcpMs', label: 'LCP', unit: 'ms', audit: 'largest-contentful-paint' },
  { key: 'cls', label: 'CLS', unit: '', audit: 'cumulative-layout-shift' },
  { key: 'score', label: 'performance score', unit: '/100', better: 'higher' },
];

// Served with gzip, as a store's server or CDN sends it (LH_GZIP=0: uncompressed): Lighthouse's simulated slow 4G
// counts the bytes on the wire.
const GZIP = process.env.LH_GZIP !== '0';
const server = await startServer({ port: 0, quiet: true, compress: GZIP });

async function seedSavedCart(port, origin) {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  try {
    const tab = await browser.contexts()[0].newPage();
    await tab.goto(`${origin}/demo/cart.html?cartkeep=${seedLink}`);
    await waitForAnswer(tab, () => CartKeep.ready.then((instance) => instance.cart.count() >= 3));
    await tab.close();
  } finally {
    await browser.close();
  }
}

// One Lighthouse run in a fresh Chromium (its own temporary profile: nothing cached, nothing stored).
async function measure(page, side, run) {
  const chrome = await chromeLauncher.launch({ chromePath: CHROME_PATH, chromeFlags: CHROME_FLAGS, logLevel: 'silent' });
  try {
    if (page.seedCart) await seedSavedCart(chrome.port, server.origin);
    const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] };
    if (side === 'blocked') flags.blockedUrlPatterns = BLOCKED;
    const { lhr } = await lighthouse(`${server.origin}${page.path}`, flags);
    if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    if (SAVE_DIR) writeFileSync(join(SAVE_DIR, `${page.name}-${side}-${run + 1}.json`), JSON.stringify(lhr));
    checkSide(lhr, page, side);
    const figures = {};
    for (const metric of METRICS) {
      figures[metric.key] = metric.audit ? lhr.audits[metric.audit].numericValue : Math.round(lhr.categories.performance.score * 100);
    }
    return figures;
  } finally {
    await chrome.kill();
  }
}

// A run only counts if CartKeep really loaded on its side and really did not on the other.
function checkSide(lhr, page, side) {
  const loaded = (lhr.audits['network-requests'].details?.items || [])
    .some((r) => /\/dist\/cartkeep\.js(\?|$)/.test(r.url) && r.statusCode === 200);
  if (loaded !== (side === 'withCartKeep')) {
    throw new Error(`${page.name} (${side}): cartkeep.js was ${loaded ? '' : 'not '}loaded`);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const spread = (values) => Math.max(...values) - Math.min(...values);

const runs = Object.fromEntries(PAGES.map((page) => [page.name, { withCartKeep: [], blocked: [] }]));
const started = Date.now();
for (let run = 0; run < RUNS; run += 1) {
  for (const page of PAGES) {
    // Alternate which side goes first, so neither always meets the machine just after the other.
    for (const side of run % 2 ? [...SIDES].reverse() : SIDES) {
      let figures;
      try {
        figures = await measure(page, side, run);
      } catch (error) {
        console.log(`  ${page.name} ${side} run ${run + 1}: ${error.message}; once more`);
        figures = await measure(page, side, run);
      }
      runs[page.name][side].push(figures);
      console.log(`  run ${run + 1}/${RUNS} ${page.name.padEnd(8)} ${side.padEnd(12)} ` +
        METRICS.map((m) => `${m.label} ${format(m, figures[m.key])}`).join(', '));
    }
  }
}
await server.close();

function format(metric, value) {
  if (metric.key === 'cls') return value.toFixed(3);
  if (metric.key === 'score') return value.toFixed(0);
  return `${Math.round(value).toLocaleString('en-GB')} ms`;
}
const signed = (metric, value) => `${value > 0 ? '+' : value < 0 ? '-' : '±'}${format(metric, Math.abs(value))}`;

const pages = {};
for (const page of PAGES) {
  const side = (name) => Object.fromEntries(METRICS.map((m) => [m.key, median(runs[page.name][name].map((r) => r[m.key]))]));
  const withCartKeep = side('withCartKeep');
  const blocked = side('blocked');
  const added = Object.fromEntries(METRICS.map((m) => [m.key, withCartKeep[m.key] - blocked[m.key]]));
  const noiseFloor = Object.fromEntries(METRICS.map((m) => [m.key, spread(runs[page.name].blocked.map((r) => r[m.key]))]));
  const met = {
    mainThread: added.mainThreadMs <= TARGETS.mainThreadAddedMs,
    tbt: added.tbtMs <= TARGETS.tbtAddedMs,
    cls: added.cls <= TARGETS.clsAdded,
    lcpWithinNoise: added.lcpMs <= noiseFloor.lcpMs,
    scoreWithinNoise: -added.score <= noiseFloor.score,
  };
  pages[page.name] = { url: page.path, withCartKeep, blocked, added, noiseFloor, met, runs: runs[page.name] };
}

console.log(`\nLighthouse ${lighthouseVersion()} mobile defaults, ${CHROME_PATH}, median of ${RUNS} runs per side ` +
  `(${((Date.now() - started) / 60000).toFixed(1)} min); ${GZIP ? 'gzip' : 'uncompressed'}; blocked: ${BLOCKED.join(' ')}; noise = max - min of the blocked runs`);
const header = ['page', 'figure', 'with CartKeep', 'blocked', 'added', 'noise', 'target'];
const rows = [];
for (const page of PAGES) {
  const p = pages[page.name];
  for (const m of METRICS) {
    const target = { mainThreadMs: `<= +${TARGETS.mainThreadAddedMs} ms`, tbtMs: '+0 ms', cls: `<= +${TARGETS.clsAdded}`, lcpMs: 'within noise', score: 'within noise' }[m.key];
    const ok = { mainThreadMs: p.met.mainThread, tbtMs: p.met.tbt, cls: p.met.cls, lcpMs: p.met.lcpWithinNoise, score: p.met.scoreWithinNoise }[m.key];
    rows.push([page.name, m.label, format(m, p.withCartKeep[m.key]), format(m, p.blocked[m.key]), signed(m, p.added[m.key]),
      format(m, p.noiseFloor[m.key]), `${target} (${ok ? 'met' : 'NOT met'})`]);
  }
}
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((cell, i) => (i >= 2 && i <= 5 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
console.log(line(header));
for (const row of rows) console.log(line(row));

function lighthouseVersion() {
  return JSON.parse(readFileSync(new URL('../node_modules/lighthouse/package.json', import.meta.url), 'utf8')).version;
}

recordSection('lighthouse', {
  lighthouse: lighthouseVersion(), settings: 'mobile defaults (simulated throttling)', chrome: CHROME_PATH,
  runsPerSide: RUNS, gzip: GZIP, blockedUrlPatterns: BLOCKED, targets: TARGETS, pages,
});
for (const page of PAGES) {
  const p = pages[page.name];
  for (const m of METRICS) {
    record({ bench: 'lighthouse', figure: `${page.name}: ${m.label}, median of ${RUNS}`, value: p.withCartKeep[m.key], unit: m.unit,
      peer: 'CartKeep blocked', peerValue: p.blocked[m.key], better: m.better || 'lower',
      target: { mainThreadMs: `added <= ${TARGETS.mainThreadAddedMs} ms`, tbtMs: 'added 0', cls: `added <= ${TARGETS.clsAdded}` }[m.key] });
  }
}
