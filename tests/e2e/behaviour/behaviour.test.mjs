// Behaviour in real Chromium: dwell accuracy against ground truth with timeme.js in the same run; the nudge
// dialog (RTL, focus trap, Esc); destroy() leaves no listener and no timer. Desktop exits by category are
// tests/e2e/behaviour/exit-corpus.test.mjs; the whole labelled corpus against ouibounce and exit-intent is
// `node bench/trace-corpus.bench.mjs`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useDemoBrowser } from '../helpers/browser.mjs';
import { catalog, CSP, openHarness } from '../helpers/detector-page.mjs';
import { dwellBound, measureDwellVisit } from '../helpers/dwell-visit.mjs';

const shared = useDemoBrowser();

// Ground truth by construction: active (a move every 100 ms), idle (nothing for 45 s and for 10 s with the
// window blurred), hidden (a 20 s and a 1.5 s tab switch, 15 s in the back/forward cache), and 12 s of
// reading without a move (under the 30 s idle threshold: active). `node bench/dwell.bench.mjs` runs more visits.
test('dwell accuracy against ground truth (idle, hidden, blur, bfcache back/forward), timeme.js in the same run', { timeout: 300000 }, async () => {
  const visit = await measureDwellVisit(shared.browser, shared.demo.origin, [
    ['active', 10000], ['idle', 45000], ['active', 5000], ['hidden', 20000], ['active', 5000], ['blurred', 10000],
    ['active', 5000], ['bfcache', 15000], ['active', 4000], ['hidden', 1500], ['active', 3000], ['still', 12000], ['active', 2000],
  ]);
  const { truth, error } = visit;
  assert.equal(Math.round(visit.elapsed), visit.total, 'the virtual clock ran exactly the script');
  console.log(`\ndwell vs ground truth (ms): active ${truth.active}, idle ${truth.idle}, hidden ${truth.hidden}`);
  console.log(`  CartKeep errors: active ${error.active.toFixed(0)}, idle ${error.idle.toFixed(0)}, hidden ${error.hidden.toFixed(0)}; timeme.js active error ${error.timeme.toFixed(0)}`);
  for (const kind of ['active', 'idle', 'hidden']) assert.ok(Math.abs(error[kind]) <= dwellBound(truth[kind]), `${kind} error ${error[kind]}`);
  assert.ok(Math.abs(error.active) < Math.abs(error.timeme), 'closer to the truth than timeme.js');
  assert.deepEqual(visit.problems, []);
});

test('the nudge dialog: coupon with countdown, right-to-left, labelled, focus kept inside, Esc dismisses', { timeout: 60000 }, async () => {
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const config = {
    currency: 'GBP', locale: 'ar', catalog, consent: 'granted', // the caps are stored only with consent
    nudges: { minGapMs: 0, playbook: [{ id: 'coupon', offer: { type: 'coupon', code: 'STAY10', percentOff: 10, expiresInMinutes: 15 }, minCartValue: 1000, visitShare: 1 }] },
  };
  const { page, problems } = await openHarness(context, config, { vendors: false });
  await page.goto(`${shared.demo.origin}/demo/__test/dialog.html`);
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
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 800 } });
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
  await page.goto(`${shared.demo.origin}/demo/__test/destroy.html`);
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
  await page.evaluate(async () => await window.instance.cart.add('mug', 1));
  await page.evaluate(() => window.history.pushState({}, '', '/demo/__test/cart'));
  await page.mouse.move(600, 400);
  await page.waitForTimeout(1100);
  for (let y = 400; y >= 100; y -= 50) await page.mouse.move(600, y);
  await page.mouse.move(600, -5); // a coupon nudge with a running countdown
  await page.waitForFunction(() => document.querySelector('[data-cartkeep-nudge]'));
  const during = await page.evaluate(() => ({ timers: window.liveTimers.size, patched: history.pushState.toString().includes('[native code]') === false }));
  assert.ok(during.timers > timersBefore, 'the countdown and the deadline timer are live while running');
  assert.equal(during.patched, true);
  // No consent was given on this page: the nudge was capped in memory, nothing of behaviour was stored.
  const storedKeys = await page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]
    .filter((key) => ['cartkeep:visitor', 'cartkeep:behaviour', 'cartkeep:session'].includes(key)));
  assert.deepEqual(storedKeys, []);
  assert.equal(await page.evaluate(async () => (await window.instance.behaviour.caps()).shown.length), 1);
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
