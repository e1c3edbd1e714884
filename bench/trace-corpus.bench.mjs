// The labelled behaviour corpus (tests/fixtures/traces: desktop, touch, tab switches, back button, fields)
// replayed as real input in Chromium (CDP mouse, keyboard, touch, scrolling) on the virtual clock, with
// CartKeep, ouibounce and exit-intent listening on the same page in the same run: recall and false positives
// for each, and the check that the observations CartKeep recorded in the browser replay in Node to the same
// decisions. Targets: CartKeep wrong on no trace, replays identical, not worse than either peer on either
// figure and better on at least one. `node bench/trace-corpus.bench.mjs` (needs dist/: `bash scripts/build.sh`);
// CARTKEEP_TRACES=<regexp> replays a few, CARTKEEP_E2E_PAGES sets the browsers side by side (default 8).
//
// Peers, configured as their docs suggest for measuring every visit: ouibounce with `aggressive: true`
// (otherwise its cookie from an earlier page in the run would silence it) and its defaults (sensitivity
// 20 px, 1 s before it attaches, no delay); exit-intent with its defaults (threshold 20 px, 200 ms
// throttle) and maxDisplays high (the first firing is what counts). CartKeep with its defaults.
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { initStore } from '../tests/js/helpers/cartkeep.mjs';
import { launchBrowser, startDemo } from '../tests/e2e/helpers/browser.mjs';
import { catalog, DEVICES, openReplayPage, rate } from '../tests/e2e/helpers/detector-page.mjs';
import { record } from './report.mjs';

const traces = new URL('../tests/fixtures/traces/', import.meta.url);
const readTrace = (name) => JSON.parse(readFileSync(new URL(`${name}.json`, traces), 'utf8'));

async function replayCorpusTrace(browser, origin, entry) {
  const trace = readTrace(entry.name);
  const config = { currency: 'GBP', catalog, nudges: { enabled: false }, ...(trace.options || {}) };
  config.behaviour = { ...(config.behaviour || {}), record: true };
  const context = await browser.newContext(DEVICES[trace.device]);
  try {
    const { page, problems, replayer } = await openReplayPage(context, origin, config, { touch: trace.device === 'touch' });
    await replayer.replay(trace);
    const results = await page.evaluate(() => window.results);
    const recorded = await page.evaluate(async () => (await CartKeep.ready).behaviour.recorded());
    return { trace, results, recorded, problems };
  } finally {
    await context.close();
  }
}

const only = process.env.CARTKEEP_TRACES ? new RegExp(process.env.CARTKEEP_TRACES) : null;
const index = JSON.parse(readFileSync(new URL('index.json', traces), 'utf8')).filter((t) => !only || only.test(t.name));
const demo = await startDemo();
const started = Date.now();
const done = [];
const pages = Math.max(1, Math.min(16, index.length, Number(process.env.CARTKEEP_E2E_PAGES) || 8));
try {
  // Longest traces first: a replay is paced by its input events (one frame each), so the 60 s reading trace
  // alone is a good part of the run; started last, it would run on its own at the end.
  const length = new Map(index.map((entry) => [entry, readTrace(entry.name).events.length]));
  const queue = [...index].sort((a, b) => length.get(b) - length.get(a));
  await Promise.all(Array.from({ length: pages }, async () => {
    const browser = await launchBrowser();
    try {
      for (let entry = queue.shift(); entry; entry = queue.shift()) done.push({ entry, ...(await replayCorpusTrace(browser, demo.origin, entry)) });
    } finally {
      await browser.close();
    }
  }));
} finally {
  await demo.close();
}
const browserSeconds = (Date.now() - started) / 1000;
done.sort((a, b) => index.indexOf(a.entry) - index.indexOf(b.entry));

const tally = { cartkeep: { tp: 0, fp: 0 }, ouibounce: { tp: 0, fp: 0 }, exitIntent: { tp: 0, fp: 0 } };
const wrong = { cartkeep: [], ouibounce: [], exitIntent: [] };
const failures = [];
let exits = 0;
let stays = 0;
for (const { entry, trace, results, recorded, problems } of done) {
  const exit = entry.label === 'exit';
  if (exit) exits++;
  else stays++;
  for (const name of Object.keys(tally)) {
    const fired = results[name].length > 0;
    if (fired) tally[name][exit ? 'tp' : 'fp']++;
    if (fired !== exit) wrong[name].push(entry.name);
  }
  // The browser's own observations replay in Node to the same decisions.
  const store = await initStore({ nudges: { enabled: false }, ...(trace.options || {}) });
  const replayed = store.behaviour.replay(recorded).filter((o) => o.type === 'exit-intent').map(({ type, ...rest }) => rest);
  store.destroy();
  if (!isDeepStrictEqual(replayed, results.cartkeep)) failures.push(`${entry.name}: the Node replay of the recorded observations decides differently`);
  failures.push(...problems.map((p) => `${entry.name}: ${p}`));
}
console.log(`exit-intent corpus in Chromium: ${index.length} traces (${exits} exit, ${stays} stay), ${pages} browsers side by side, ${browserSeconds.toFixed(1)} s`);
console.log('| detector | recall | false positives |\n| --- | --- | --- |');
for (const name of Object.keys(tally)) console.log(`| ${name} | ${rate(tally[name].tp, exits)} | ${rate(tally[name].fp, stays)} |`);
for (const [name, list] of Object.entries(wrong)) console.log(`  ${name} wrong on: ${list.join(', ') || 'none'}`);
for (const peer of ['ouibounce', 'exitIntent']) {
  record({ bench: 'trace-corpus', figure: `recall vs ${peer}`, value: (100 * tally.cartkeep.tp) / exits, unit: '%', peer, peerValue: (100 * tally[peer].tp) / exits, better: 'higher', target: '100%' });
  record({ bench: 'trace-corpus', figure: `false positives vs ${peer}`, value: (100 * tally.cartkeep.fp) / stays, unit: '%', peer, peerValue: (100 * tally[peer].fp) / stays, better: 'lower', target: '0%' });
}
if (wrong.cartkeep.length) failures.push(`CartKeep wrong on ${wrong.cartkeep.join(', ')}`);
for (const peer of ['ouibounce', 'exitIntent']) {
  const ck = tally.cartkeep;
  if (ck.tp < tally[peer].tp || ck.fp > tally[peer].fp) failures.push(`worse than ${peer} on recall or false positives`);
  if (!(ck.tp > tally[peer].tp || ck.fp < tally[peer].fp)) failures.push(`not better than ${peer} on either figure`);
}
if (!only && index.length < 40) failures.push(`only ${index.length} traces in the corpus`);
if (failures.length) {
  console.log(`targets missed:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}
