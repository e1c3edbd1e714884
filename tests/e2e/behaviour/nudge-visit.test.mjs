// Nudge caps and the coupon countdown across the pages of one visit, for a shopper who has not consented
// (every shopper of the demo until they do): the caps hold for the whole visit from an id-free record in
// sessionStorage, and a coupon's deadline is fixed once, so its countdown continues on the next page.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { useDemoBrowser } from '../helpers/browser.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'";
const BEHAVIOUR_KEYS = ['cartkeep:visitor', 'cartkeep:behaviour', 'cartkeep:session'];
const screenshots = new URL('../../../build/screenshots/', import.meta.url);

const shared = useDemoBrowser();

// Every nudge decision of the visit (shown or held out), kept by the test in its own sessionStorage key.
function recordNudges() {
  for (const name of ['nudge-shown', 'nudge-held-out']) {
    document.addEventListener(`cartkeep:${name}`, (event) => {
      const seen = JSON.parse(sessionStorage.getItem('test:nudges') || '[]');
      seen.push({ name, rule: event.detail.rule, expiresAt: event.detail.offer.expiresAt ?? null, page: location.pathname });
      sessionStorage.setItem('test:nudges', JSON.stringify(seen));
    });
  }
}

// An exit at the top: armed (1 s on the page, deep enough), then a fast move up and out.
async function exitAtTop(page) {
  await page.mouse.move(640, 450);
  await page.waitForTimeout(1200);
  for (let y = 450; y >= 100; y -= 50) await page.mouse.move(640, y);
  await page.mouse.move(640, -5);
  await page.waitForTimeout(300);
}

async function closeNudge(page) {
  if (await page.locator('[data-cartkeep-nudge]').count()) {
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('[data-cartkeep-nudge]'));
  }
}

test('demo without consent: six page exits in one visit show at most the cap of nudges, and nothing identifying is stored', { timeout: 180000 }, async () => {
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.addInitScript(recordNudges);
  await page.goto(`${shared.demo.origin}/demo/index.html`);
  await page.evaluate(() => CartKeep.ready.then(async (store) => {
    const products = store.catalog.products().filter((p) => p.stock === null || p.stock === undefined || p.stock > 3);
    await store.cart.add(products[0].id, 2);
  }));
  const walk = ['index.html', 'cart.html', 'index.html', 'checkout.html', 'cart.html', 'index.html'];
  for (const path of walk) {
    await page.goto(`${shared.demo.origin}/demo/${path}`);
    await page.evaluate(() => CartKeep.ready.then(() => new Promise((resolve) => setTimeout(resolve, 50))));
    assert.equal(await page.evaluate(() => CartKeep.ready.then((store) => store.consent.get().state)), 'pending');
    await exitAtTop(page);
    await closeNudge(page);
  }
  const decided = await page.evaluate(() => JSON.parse(sessionStorage.getItem('test:nudges') || '[]'));
  // The demo's cap is one nudge per visit (maxPerSession 1); held-out decisions count against it too.
  assert.equal(decided.length, 1, JSON.stringify(decided));
  const stored = await page.evaluate((keys) => ({
    identifying: keys.filter((key) => localStorage.getItem(key) !== null || sessionStorage.getItem(key) !== null),
    visit: JSON.parse(sessionStorage.getItem('cartkeep:nudge-visit') || 'null'),
  }), BEHAVIOUR_KEYS);
  assert.deepEqual(stored.identifying, [], 'no visitor or session id is stored without consent');
  assert.ok(stored.visit, 'the visit record holds the caps');
  assert.equal('visitor' in stored.visit || 'session' in stored.visit, false);
  assert.equal(Object.values(stored.visit.sessionShown).reduce((a, b) => a + b, 0), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

function couponPage(config) {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Visit</title></head>
  <body data-cartkeep-page="cart"><main><h1>Cart</h1></main>
  <script src="/dist/cartkeep.js" data-config='${JSON.stringify(config)}'></script></body></html>`;
}

test('without consent a coupon countdown is real: the deadline is fixed once and continues on the next page', { timeout: 120000 }, async () => {
  const config = {
    currency: 'GBP', locale: 'en-GB', catalog: [{ id: 'mug', title: 'Enamel Mug', price: 2299 }],
    nudges: {
      maxPerSession: 2, minGapMs: 0,
      playbook: [{ id: 'coupon', maxPerSession: 2, maxPerDays: { count: 2, days: 14 }, visitShare: 1, minCartValue: 1000,
        offer: { type: 'coupon', code: 'STAY10', percentOff: 10, expiresInMinutes: 15 } }],
    },
  };
  const context = await shared.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.route('**/demo/__visit/**', (route) => route.fulfill({
    contentType: 'text/html', headers: { 'content-security-policy': CSP }, body: couponPage(config),
  }));
  await page.addInitScript(recordNudges);
  const countdowns = [];
  for (const [index, path] of ['one.html', 'two.html'].entries()) {
    await page.goto(`${shared.demo.origin}/demo/__visit/${path}`);
    await page.evaluate(() => CartKeep.ready.then(async (store) => { if (!store.cart.count()) await store.cart.add('mug', 1); }));
    await exitAtTop(page);
    await page.waitForFunction(() => document.querySelector('[data-cartkeep-nudge]'));
    countdowns.push(await page.evaluate(() => document.querySelector('[data-cartkeep-nudge]').shadowRoot.querySelector('[role=timer]').textContent));
    if (index === 1) {
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: new URL('coupon-countdown-second-page.png', screenshots).pathname });
    }
    await closeNudge(page);
    if (index === 0) await page.waitForTimeout(2100); // two seconds of the deadline pass between the pages
  }
  const decided = await page.evaluate(() => JSON.parse(sessionStorage.getItem('test:nudges') || '[]'));
  assert.equal(decided.length, 2);
  assert.equal(decided[0].expiresAt, decided[1].expiresAt, 'the same deadline on both pages');
  assert.match(countdowns[0], /Expires in 1[45]:\d\d/);
  assert.notEqual(countdowns[1], 'Expires in 15:00');
  const seconds = (text) => { const [m, s] = text.match(/(\d+):(\d\d)/).slice(1).map(Number); return m * 60 + s; };
  assert.ok(seconds(countdowns[1]) <= seconds(countdowns[0]) - 2, `${countdowns[0]} then ${countdowns[1]}`);
  assert.deepEqual(problems, []);
  await context.close();
});
