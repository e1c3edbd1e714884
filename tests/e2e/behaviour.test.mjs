// Behaviour in real Chromium: the labelled corpus dispatched as real input (CDP mouse, keyboard, touch,
// scrolling) under Playwright's virtual clock, with CartKeep, ouibounce and exit-intent listening on the same
// page in the same run; recall and false-positive rate for each are measured and printed. The observations
// CartKeep recorded in the browser replay in Node to the same decisions. Dwell accuracy against ground
// truth with timeme.js in the same run; the nudge dialog (RTL, focus trap, Esc); destroy() leaves no
// listener and no timer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { initStore } from '../js/helpers/cartkeep.mjs';
import { launchBrowser, startDemo } from './helpers/browser.mjs';

const root = new URL('../../', import.meta.url);
const traces = new URL('../fixtures/traces/', import.meta.url);
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'";
const LAYOUT = { text: [300, 300], coupon: [300, 380], search: [900, 28], select: [300, 460] };
const VENDOR = {
  'ouibounce.js': 'node_modules/ouibounce/build/ouibounce.js',
  'exit-intent.js': 'node_modules/exit-intent/dist/exit-intent.umd.js',
  'timeme.js': 'node_modules/timeme.js/timeme.js',
};
const catalog = [{ id: 'mug', title: 'Enamel Mug', price: 2299 }, { id: 'lamp', title: 'Lamp', price: 1999 }];

let browser;
let demo;
before(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.close();
});

const CSS = `body{margin:0;font:16px sans-serif;min-height:6000px}
  .bar{position:fixed;top:0;left:0;right:0;height:56px;background:#234;color:#fff;display:flex;gap:24px;align-items:center;padding:0 24px;z-index:2}
  .bar a{color:#fff}
  .field{position:absolute;width:200px;height:30px;box-sizing:border-box}
  #search{left:800px;top:13px} #name{left:200px;top:285px} #coupon{left:200px;top:365px} #country{left:200px;top:445px}
  #modal{display:none}`;

function pageHtml(config, { vendors = true } = {}) {
  return `<!doctype html><html lang="${config.locale === 'ar' ? 'ar' : 'en-GB'}"><head><link rel="stylesheet" href="/demo/__test/page.css"></head>
  <body data-cartkeep-page="product" data-cartkeep-product="mug">
  <header class="bar"><a href="#a">Shop</a><a href="#b">Lights</a><a href="#c">Kitchen</a><input id="search" class="field" type="search" aria-label="Search"></header>
  <input id="name" class="field" name="name" aria-label="Name"><input id="coupon" class="field" name="coupon" aria-label="Coupon">
  <select id="country" class="field" aria-label="Country"><option>UK</option><option>France</option><option>Kuwait</option></select>
  <div id="modal"></div>
  ${vendors ? '<script src="/demo/__test/vendor/ouibounce.js"></script><script src="/demo/__test/vendor/exit-intent.js"></script><script src="/demo/__test/vendor/timeme.js"></script>' : ''}
  <script src="/dist/cartkeep.js" data-config='${JSON.stringify(config)}'></script>
  <script src="/demo/__test/harness.js"></script></body></html>`;
}

// Records every detector's decisions with the (virtual) time they happened.
const HARNESS = `window.results = { cartkeep: [], ouibounce: [], exitIntent: [], events: [] };
  for (const name of ['exit-intent', 'risk', 'nudge-shown', 'nudge-accepted', 'nudge-dismissed']) {
    document.addEventListener('cartkeep:' + name, (e) => window.results.events.push([name, e.detail]));
  }
  document.addEventListener('cartkeep:exit-intent', (e) => window.results.cartkeep.push(e.detail));
  if (window.ouibounce) ouibounce(document.getElementById('modal'), { aggressive: true, callback: () => window.results.ouibounce.push(performance.now()) });
  if (window.ExitIntent) ExitIntent({ maxDisplays: 1000, onExitIntent: () => window.results.exitIntent.push(performance.now()) });
  if (window.TimeMe) TimeMe.initialize({ currentPageName: 'product', idleTimeoutInSeconds: 30 });`;

async function openHarness(context, config, options) {
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

// Synthetic visibility and window focus: headless Chromium keeps every page visible and focused, so these
// two are dispatched as DOM events (with document.visibilityState/hidden overridden); all else is real input.
async function setVisibility(page, hidden) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { value: h ? 'hidden' : 'visible', configurable: true });
    Object.defineProperty(document, 'hidden', { value: h, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

async function scrollTo(page, y) {
  await page.evaluate((target) => new Promise((done) => {
    const goal = Math.round(target);
    if (Math.round(scrollY) === goal) return done();
    addEventListener('scroll', () => done(), { once: true });
    scrollTo({ top: goal, behavior: 'instant' });
  }), y);
}

async function dispatch(page, trace, event, touch) {
  const [, kind, a, b] = event;
  switch (kind) {
    case 'move':
    case 'out':
      return page.mouse.move(a, b);
    case 'down':
      if (a < 0 || b < 0 || a > trace.viewport.width || b > trace.viewport.height) return undefined;
      if (touch) return page.touchscreen.tap(a, b);
      await page.mouse.down();
      return page.mouse.up();
    case 'key':
      return page.keyboard.press('Shift');
    case 'scroll':
      return scrollTo(page, a);
    case 'visibility':
      return setVisibility(page, a === 'hidden');
    case 'blur':
      return page.evaluate(() => dispatchEvent(new FocusEvent('blur')));
    case 'focus':
      return page.evaluate(() => dispatchEvent(new FocusEvent('focus')));
    case 'field':
      if (b) return page.focus(`#${{ text: 'name', coupon: 'coupon', search: 'search', select: 'country' }[a]}`);
      return page.evaluate(() => document.activeElement && document.activeElement.blur());
    case 'select':
      if (!a) return page.keyboard.press('Escape');
      return undefined; // the pointerdown on the <select> already opened it
    case 'back':
      // With the guard the history entry it added is what back lands on; without it back would leave the page.
      if (trace.options?.behaviour?.exitIntent?.backButtonGuard) return page.evaluate(() => history.back());
      return undefined;
    default:
      return undefined; // session, viewport, route, cart, tick: the sensors and the timer produce these
  }
}

function rate(n, d) {
  return `${n}/${d} (${d ? ((100 * n) / d).toFixed(1) : '0.0'}%)`;
}

// Opt-in until it runs within budget: on a loaded 2-core machine one trace took ~100 s under the virtual clock.
const corpusSkip = process.env.CARTKEEP_E2E_CORPUS === '1' ? false : 'set CARTKEEP_E2E_CORPUS=1 (too slow for npm test on a shared machine yet)';
test('the labelled corpus in Chromium: CartKeep vs ouibounce vs exit-intent, same page, same run', { timeout: 1800000, skip: corpusSkip }, async () => {
  const only = process.env.CARTKEEP_TRACES ? new RegExp(process.env.CARTKEEP_TRACES) : null; // debugging a few
  const index = JSON.parse(readFileSync(new URL('index.json', traces), 'utf8')).filter((t) => !only || only.test(t.name));
  assert.ok(only || index.length >= 40);
  const contexts = {
    desktop: await browser.newContext({ viewport: { width: 1280, height: 800 } }),
    touch: await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }),
  };
  const tally = { cartkeep: { tp: 0, fp: 0 }, ouibounce: { tp: 0, fp: 0 }, exitIntent: { tp: 0, fp: 0 } };
  let exits = 0;
  let stays = 0;
  const misses = [];
  const replayDiffs = [];
  const started = Date.now();
  for (const entry of index) {
    const trace = JSON.parse(readFileSync(new URL(`${entry.name}.json`, traces), 'utf8'));
    const touch = trace.device === 'touch';
    const config = { currency: 'GBP', catalog, nudges: { enabled: false }, ...(trace.options || {}) };
    config.behaviour = { ...(config.behaviour || {}), record: true };
    const { page, problems } = await openHarness(contexts[trace.device], config);
    await page.clock.install({ time: 1767225600000 });
    await page.goto(`${demo.origin}/demo/__test/corpus.html`);
    await page.waitForFunction(() => window.CartKeep && window.results);
    await page.evaluate(() => CartKeep.ready);
    await page.clock.runFor(1100); // ouibounce attaches after its 1 s timer
    let previous = trace.events[0][0];
    for (const event of trace.events) {
      const dt = event[0] - previous;
      previous = event[0];
      if (dt > 0) await page.clock.runFor(dt);
      await dispatch(page, trace, event, touch);
    }
    await page.clock.runFor(200);
    const results = await page.evaluate(() => window.results);
    const recorded = await page.evaluate(async () => (await CartKeep.ready).behaviour.recorded());
    const fired = { cartkeep: results.cartkeep.length > 0, ouibounce: results.ouibounce.length > 0, exitIntent: results.exitIntent.length > 0 };
    if (entry.label === 'exit') exits++;
    else stays++;
    for (const name of Object.keys(tally)) {
      if (entry.label === 'exit' && fired[name]) tally[name].tp++;
      if (entry.label === 'stay' && fired[name]) tally[name].fp++;
    }
    if (fired.cartkeep !== (entry.label === 'exit')) misses.push(`${entry.name}: ${JSON.stringify(results.cartkeep)}`);
    // The browser's own observations replay in Node to the same decisions.
    const store = await initStore({ nudges: { enabled: false }, ...(trace.options || {}) });
    const replayed = store.behaviour.replay(recorded).filter((o) => o.type === 'exit-intent').map(({ type, ...rest }) => rest);
    store.destroy();
    try {
      assert.deepEqual(replayed, results.cartkeep);
    } catch {
      replayDiffs.push(entry.name);
    }
    assert.deepEqual(problems, [], entry.name);
    if (process.env.CARTKEEP_TRACE_LOG) console.log(entry.name, JSON.stringify(fired), `${Date.now() - started} ms`);
    await page.close();
  }
  await contexts.desktop.close();
  await contexts.touch.close();
  const line = (name) => `${name.padEnd(10)} recall ${rate(tally[name].tp, exits)}  false positives ${rate(tally[name].fp, stays)}`;
  console.log(`\nexit-intent corpus in Chromium (${index.length} traces, ${exits} exit, ${stays} stay, ${((Date.now() - started) / 1000).toFixed(1)} s):`);
  for (const name of Object.keys(tally)) console.log(`  ${line(name)}`);
  assert.deepEqual(misses, []);
  assert.deepEqual(replayDiffs, [], 'recorded observations replay in Node to the same decisions');
  const ck = tally.cartkeep;
  assert.ok(ck.tp / exits >= 0.98, 'recall at least 98%');
  assert.ok(ck.fp / stays <= 0.01, 'false positives at most 1%');
  for (const other of ['ouibounce', 'exitIntent']) {
    assert.ok(ck.tp >= tally[other].tp, `recall not below ${other}`);
    assert.ok(ck.fp <= tally[other].fp, `false positives not above ${other}`);
    assert.ok(ck.tp > tally[other].tp || ck.fp < tally[other].fp, `better than ${other} on at least one figure`);
  }
});

test('dwell accuracy against ground truth (idle, hidden, blur), timeme.js in the same run', { timeout: 900000, skip: corpusSkip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const { page } = await openHarness(context, { currency: 'GBP', catalog, nudges: { enabled: false }, behaviour: { idleAfterMs: 30000 } });
  await page.clock.install({ time: 1767225600000 });
  await page.goto(`${demo.origin}/demo/__test/dwell.html`);
  await page.evaluate(() => CartKeep.ready);
  const truth = { active: 0, idle: 0, hidden: 0 };
  const t0 = await page.evaluate(() => performance.now());
  const activeFor = async (ms) => {
    for (let t = 0; t < ms; t += 100) {
      await page.mouse.move(300 + (t % 700), 200 + ((t / 7) % 400));
      await page.clock.runFor(100);
    }
    await page.mouse.move(310, 210);
    truth.active += ms;
  };
  await activeFor(10000);
  await page.clock.runFor(45000); // reading nothing, away from the desk
  truth.idle += 45000;
  await activeFor(5000);
  await setVisibility(page, true);
  await page.clock.runFor(20000);
  truth.hidden += 20000;
  await setVisibility(page, false);
  await activeFor(5000);
  await page.evaluate(() => dispatchEvent(new FocusEvent('blur')));
  await page.clock.runFor(10000);
  truth.idle += 10000;
  await page.evaluate(() => dispatchEvent(new FocusEvent('focus')));
  await activeFor(5000);
  const measured = await page.evaluate(async (start) => {
    const instance = await CartKeep.ready;
    return { dwell: instance.behaviour.dwell().total, timeme: TimeMe.getTimeOnCurrentPageInSeconds() * 1000, elapsed: performance.now() - start };
  }, t0);
  const { dwell } = measured;
  const bound = (ms) => Math.max(250, ms * 0.01);
  const err = {
    active: dwell.activeMs - truth.active, idle: dwell.idleMs - truth.idle, hidden: dwell.hiddenMs - truth.hidden, timeme: measured.timeme - truth.active,
  };
  console.log(`\ndwell vs ground truth (ms): active ${truth.active}, idle ${truth.idle}, hidden ${truth.hidden}`);
  console.log(`  CartKeep  active ${dwell.activeMs.toFixed(0)} (error ${err.active.toFixed(0)}), idle ${dwell.idleMs.toFixed(0)} (error ${err.idle.toFixed(0)}), hidden ${dwell.hiddenMs.toFixed(0)} (error ${err.hidden.toFixed(0)})`);
  console.log(`  timeme.js active ${measured.timeme.toFixed(0)} (error ${err.timeme.toFixed(0)})`);
  assert.ok(Math.abs(err.active) <= bound(truth.active), `active error ${err.active}`);
  assert.ok(Math.abs(err.idle) <= bound(truth.idle), `idle error ${err.idle}`);
  assert.ok(Math.abs(err.hidden) <= bound(truth.hidden), `hidden error ${err.hidden}`);
  assert.ok(Math.abs(err.active) < Math.abs(err.timeme), 'closer to the truth than timeme.js');
  await context.close();
});

test('the nudge dialog: coupon with countdown, right-to-left, labelled, focus kept inside, Esc dismisses', { timeout: 60000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const config = {
    currency: 'GBP', locale: 'ar', catalog,
    nudges: { minGapMs: 0, playbook: [{ id: 'coupon', offer: { type: 'coupon', code: 'STAY10', percentOff: 10, expiresInMinutes: 15 }, minCartValue: 1000, visitShare: 1 }] },
  };
  const { page, problems } = await openHarness(context, config, { vendors: false });
  await page.goto(`${demo.origin}/demo/__test/dialog.html`);
  await page.evaluate(async () => (await CartKeep.ready).cart.add('mug', 1));
  await page.mouse.move(600, 400);
  await page.waitForTimeout(1100); // armed
  for (let y = 400; y >= 100; y -= 50) await page.mouse.move(600, y);
  await page.mouse.move(600, -5);
  await page.waitForFunction(() => document.querySelector('[data-cartkeep-nudge]'));
  const state = await page.evaluate(() => {
    const host = document.querySelector('[data-cartkeep-nudge]');
    const dialog = host.shadowRoot.querySelector('dialog');
    const title = host.shadowRoot.getElementById(dialog.getAttribute('aria-labelledby'));
    return {
      open: dialog.open, modal: dialog.matches(':modal'), dir: host.dir, title: title.textContent,
      code: host.shadowRoot.querySelector('.code').textContent,
      countdown: host.shadowRoot.querySelector('[role=timer]').textContent,
      focused: host.shadowRoot.activeElement && host.shadowRoot.activeElement.className,
    };
  });
  assert.equal(state.open, true);
  assert.equal(state.modal, true);
  assert.equal(state.dir, 'rtl');
  assert.match(state.title, /خصم/);
  assert.equal(state.code, 'STAY10');
  assert.match(state.countdown, /ينتهي خلال 1[45]:\d\d/);
  assert.equal(state.focused, 'primary');
  // Tab cycles within the dialog, never to the page behind.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    const inside = await page.evaluate(() => document.activeElement === document.querySelector('[data-cartkeep-nudge]') || document.activeElement === document.body);
    assert.equal(inside, true);
  }
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('[data-cartkeep-nudge]'));
  const events = await page.evaluate(() => window.results.events.map(([name]) => name));
  assert.ok(events.includes('nudge-shown'));
  assert.ok(events.includes('nudge-dismissed'));
  const caps = await page.evaluate(() => JSON.parse(localStorage.getItem('cartkeep:behaviour')));
  assert.equal(caps.shown.length, 1);
  assert.equal(caps.shown[0][0], 'coupon');
  assert.deepEqual(problems, []);
  await context.close();
});

test('destroy() leaves no listener and no timer behind', { timeout: 60000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Count live timers from the first line of the page.
  await page.addInitScript(() => {
    const live = new Set();
    window.liveTimers = live;
    const wrap = (set, clear, repeat) => {
      const originalSet = window[set];
      const originalClear = window[clear];
      window[set] = function (fn, ms, ...rest) {
        const id = originalSet.call(window, (...args) => { if (!repeat) live.delete(id); fn(...args); }, ms, ...rest);
        live.add(id);
        return id;
      };
      window[clear] = function (id) { live.delete(id); return originalClear.call(window, id); };
    };
    wrap('setTimeout', 'clearTimeout', false);
    wrap('setInterval', 'clearInterval', true);
  });
  const html = `<!doctype html><html lang="en"><body><input id="coupon" name="coupon"><script type="module" src="/demo/__test/destroy.js"></script></body></html>`;
  await page.route('**/demo/__test/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path.endsWith('.html')) return route.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': CSP }, body: html });
    return route.fulfill({ contentType: 'text/javascript', body: `import { init } from '/dist/cartkeep.mjs';
      window.start = () => init({ currency: 'GBP', catalog: ${JSON.stringify(catalog)},
        behaviour: { risk: { cartDwellMs: 6000 } },
        nudges: { minGapMs: 0, playbook: [{ id: 'coupon', offer: { type: 'coupon', code: 'X', amountOff: 200 }, minCartValue: 1, visitShare: 1 }] } })
        .then((instance) => { window.instance = instance; return true; });` });
  });
  await page.goto(`${demo.origin}/demo/__test/destroy.html`);
  await page.waitForFunction(() => window.start);
  const client = await context.newCDPSession(page);
  const listeners = async () => {
    const counts = {};
    for (const expression of ['window', 'document', 'document.documentElement', 'document.body']) {
      const { result } = await client.send('Runtime.evaluate', { expression });
      const { listeners: found } = await client.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
      counts[expression] = found.map((l) => l.type).sort().join(',');
    }
    return counts;
  };
  const baseline = await listeners();
  const timersBefore = await page.evaluate(() => window.liveTimers.size);
  await page.evaluate(() => window.start());
  await page.evaluate(() => window.instance.cart.add('mug', 1));
  await page.evaluate(() => window.history.pushState({}, '', '/demo/__test/cart'));
  await page.mouse.move(600, 400);
  await page.waitForTimeout(1100);
  for (let y = 400; y >= 100; y -= 50) await page.mouse.move(600, y);
  await page.mouse.move(600, -5); // a coupon nudge with a running countdown
  await page.waitForFunction(() => document.querySelector('[data-cartkeep-nudge]'));
  const during = await page.evaluate(() => ({ timers: window.liveTimers.size, patched: history.pushState.toString().includes('[native code]') === false }));
  assert.ok(during.timers > timersBefore, 'the countdown and the deadline timer are live while running');
  assert.equal(during.patched, true);
  await page.evaluate(() => window.instance.destroy());
  await page.waitForTimeout(100); // the live region's pending announcement, if any
  const afterDestroy = await listeners();
  const state = await page.evaluate(() => ({
    timers: window.liveTimers.size,
    nudges: document.querySelectorAll('[data-cartkeep-nudge]').length,
    pushStateNative: history.pushState.toString().includes('[native code]'),
  }));
  assert.deepEqual(afterDestroy, baseline);
  assert.equal(state.timers, timersBefore);
  assert.equal(state.nudges, 0);
  assert.equal(state.pushStateNative, true);
  // Moving and leaving after destroy decides nothing and throws nothing.
  await page.mouse.move(600, 300);
  await page.mouse.move(600, -5);
  await context.close();
});
