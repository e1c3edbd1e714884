// The demo's merchant page (demo/merchant.html) in Chromium under the demo's strict CSP: after a scripted
// shopping session (consent given on the merchant page, a product added by a click, checkout steps, a purchase,
// then a second cart left until it is abandoned) it shows the figures worked out by hand below, a drop-off
// funnel drawn in SVG and the uplift; a file of collected events gives the uplift of Newcombe's example with
// its interval; a malformed file is reported with the path of the bad record, as text.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';
import { openPage, useDemoBrowser } from '../helpers/browser.mjs';
import { fillCheckout } from '../helpers/demo-checkout.mjs';

const shared = useDemoBrowser();

async function go(page, path) {
  await page.goto(`${shared.demo.origin}/demo/${path}`);
  await page.evaluate(async () => { window.store = await CartKeep.ready; });
}

const kpi = (page, id) => page.locator(`#kpi-table tr[data-kpi="${id}"] td`).textContent();
const figuresReady = (page) => page.waitForSelector('body[data-metrics="ready"]');

// Newcombe (1998) example (a): 56 of 70 carts shown a nudge bought, 48 of 80 held out: +20 points, 95% CI 5.24 to 33.39.
function newcombeEvents() {
  const events = [];
  let n = 0;
  const ev = (name, time, i, data = {}) => ({ id: `e${++n}`, name, time, session: `s${i}`, cart: `c${i}`, data });
  for (let i = 0; i < 150; i += 1) {
    const treated = i < 70;
    events.push(ev('cart-created', 1000 + i, i), ev('nudge-shown', 2000 + i, i, { heldOut: !treated }));
    if (treated ? i < 56 : i < 70 + 48) events.push(ev('purchase', 3000 + i, i, { orderId: `o${i}`, currency: 'GBP', value: 1000 }));
  }
  return events;
}

test('merchant page: figures, funnel and uplift after a scripted shopping session; a file of collected events', async () => {
  const { context, page, problems } = await openPage(shared.browser, undefined, { context: { viewport: { width: 1200, height: 900 } } });
  try {
    // Nothing is measured before consent; the merchant page asks for it.
    await go(page, 'merchant.html');
    await figuresReady(page);
    assert.equal(await page.locator('#consent-state').getAttribute('data-state'), 'pending');
    await page.click('#consent-grant');
    await page.waitForSelector('#consent-state[data-state="granted"]');

    // Session: 2 × £2.95 added with a click, the cart, checkout through its steps, an order.
    await go(page, 'product.html?id=85123A');
    await page.waitForSelector('#add-to-cart:not([disabled])');
    await page.fill('#qty', '2');
    await page.click('#add-to-cart');
    await page.waitForFunction(() => window.store.cart.count() === 2);
    await go(page, 'cart.html');
    await go(page, 'checkout.html');
    await fillCheckout(page);
    await page.click('fieldset[data-cartkeep-checkout-step="delivery"] legend');
    await page.click('#place-order');
    await page.waitForSelector('#confirmation:not([hidden])');
    const purchase = await page.evaluate(async () => await window.store.tracking.state());
    assert.equal(purchase.cart, null, 'the purchase ended the cart');

    // A second cart (one £12.75 cake stand), then the shopper goes quiet for longer than the 30 idle minutes.
    await go(page, 'product.html?id=22423');
    await page.waitForSelector('#add-to-cart:not([disabled])');
    await page.click('#add-to-cart');
    await page.waitForFunction(() => window.store.cart.count() === 1);
    const abandoned = await page.evaluate(() => new Promise(async (resolve) => {
      window.store.on('cart-abandoned', resolve);
      await window.store.tracking.tick(Date.now() + 31 * 60000);
    }));
    assert.equal(abandoned.subtotal, 1275);
    assert.equal(abandoned.stage, 'cart');
    assert.match(abandoned.resumeLink, /^http:\/\/localhost:\d+\/demo\/.*\?cartkeep=/, 'a link back to this cart');

    await go(page, 'merchant.html');
    await figuresReady(page);
    assert.equal(await page.locator('#consent-state').getAttribute('data-state'), 'granted');
    // Worked out by hand from the session above.
    assert.equal(await kpi(page, 'sessions'), '1');
    assert.equal(await kpi(page, 'carts-created'), '2');
    assert.equal(await kpi(page, 'carts-completed'), '1');
    assert.equal(await kpi(page, 'abandonment-rate'), '50%');
    assert.equal(await kpi(page, 'abandoned-carts'), '1');
    assert.equal(await kpi(page, 'abandoned-items'), '1');
    assert.equal(await kpi(page, 'abandoned-value'), '£12.75');
    assert.equal(await kpi(page, 'orders'), '1');
    assert.equal(await kpi(page, 'revenue'), '£9.85', '£5.90 and £3.95 UK standard delivery under £40');
    assert.equal(await kpi(page, 'recovered-carts'), '0 (0%)');
    assert.match(await kpi(page, 'path-steps'), /^4 median/, 'contact, address, delivery, payment');
    assert.match(await kpi(page, 'path-pages'), /^3 median/, 'product, cart, checkout');
    assert.match(await kpi(page, 'time-to-checkout'), /1 measured$/);
    assert.match(await kpi(page, 'add-to-cart-response'), /^\d[\d,.]* (ms|s) median .* 2 measured$/, 'two clicks on Add to cart');
    assert.match(await kpi(page, 'checkout-load'), /^\d[\d,.]* (ms|s) median .* 1 measured$/);
    assert.equal(await page.locator('#traffic-table tr[data-source="direct/none"] td').first().textContent(), '1');

    // The funnel: one SVG row per stage, drawn from metrics().funnel, bars as long as their share.
    const metrics = await page.evaluate(async () => await window.store.metrics());
    const rows = await page.locator('#funnel svg .funnel-row').evaluateAll((gs) => gs.map((g) => ({
      id: g.getAttribute('data-stage'), count: Number(g.getAttribute('data-count')),
      label: g.querySelector('.funnel-label').textContent, width: Number(g.querySelector('rect').getAttribute('width')) })));
    assert.deepEqual(rows.map(({ id, count, label }) => ({ id, count, label })), metrics.funnel.map(({ id, count, label }) => ({ id, count, label })));
    assert.deepEqual(rows.map((r) => r.id), ['sessions', 'product', 'cart', 'checkout', 'step:contact', 'step:address', 'step:delivery',
      'step:payment', 'purchase']);
    assert.deepEqual(rows.map((r) => r.count), [1, 1, 2, 1, 1, 1, 1, 1, 1]);
    const cartBar = rows.find((r) => r.id === 'cart').width;
    assert.ok(cartBar > 0);
    assert.equal(rows.find((r) => r.id === 'purchase').width * 2, cartBar, 'half the carts reached a purchase');
    assert.match(await page.locator('#uplift [data-uplift="none"]').textContent(), /No comparison yet/);

    // A file of events collected by an endpoint: Newcombe's example, known interval.
    await page.setInputFiles('#events-file', { name: 'collected.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(newcombeEvents())) });
    await page.waitForFunction(() => document.getElementById('metrics-source').textContent === 'Counted from: every event in collected.json');
    assert.equal(await page.locator('#uplift [data-uplift="difference"]').textContent(),
      'Uplift +20 points, 95% interval +5.2 to +33.4 points');
    assert.match(await page.locator('#uplift [data-arm="treatment"]').textContent(), /56 of 70 carts bought \(80%/);
    assert.match(await page.locator('#uplift [data-arm="holdout"]').textContent(), /48 of 80 carts bought \(60%/);
    assert.match(await page.locator('#uplift [data-uplift="verdict"]').textContent(), /above zero/);
    assert.equal(await page.locator('#uplift svg circle').count(), 1);
    assert.equal(await kpi(page, 'carts-created'), '150');

    // A malformed file: the core names the record, shown as text (never markup).
    await page.setInputFiles('#events-file', { name: 'bad.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify([{ id: 'a', name: 'page-view', time: 1, session: 's', data: {} },
        { id: '<b>x</b>', name: 'page-view', session: 's', data: {} }])) });
    await page.waitForSelector('#merchant-status:not([hidden])');
    assert.match(await page.locator('#merchant-status').textContent(), /metrics\.events\[1\]\.time/);
    assert.equal(await page.locator('#merchant-status b').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('merchant page: a denial stops measuring and deletes what was recorded', async () => {
  const { context, page, problems } = await openPage(shared.browser);
  try {
    await go(page, 'merchant.html');
    await page.click('#consent-grant');
    await go(page, 'product.html?id=85123A');
    await page.evaluate(async () => await window.store.cart.add('85123A'));
    await go(page, 'merchant.html');
    await figuresReady(page);
    assert.equal(await kpi(page, 'carts-created'), '1');
    await page.click('#consent-deny');
    await page.waitForSelector('#consent-state[data-state="denied"]');
    assert.equal(await kpi(page, 'carts-created'), '0', 'the history is forgotten');
    assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':events:'))), []);
    await go(page, 'merchant.html');
    await figuresReady(page);
    // The cart itself stays (a new journey on this page); what was recorded before is gone: no product view.
    assert.equal(await page.locator('#funnel svg .funnel-row[data-stage="product"]').getAttribute('data-count'), '0');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('merchant page says what each figure counts: no rate from nothing, a default step counts as reached, never "−0%"', async () => {
  const { context, page, problems } = await openPage(shared.browser, undefined, { context: { viewport: { width: 1200, height: 900 } } });
  try {
    // Before consent: a cart on this device, but nothing kept from page to page, so the page counts its own
    // events only, says so, and makes no rate from the open cart (it was neither bought nor abandoned).
    await go(page, 'product.html?id=85123A');
    await page.evaluate(async () => await window.store.cart.add('85123A'));
    await go(page, 'merchant.html');
    await figuresReady(page);
    assert.equal(await kpi(page, 'carts-created'), '1');
    assert.equal(await kpi(page, 'abandoned-carts'), '0');
    assert.equal(await kpi(page, 'abandonment-rate'), 'Not enough data');
    assert.match(await kpi(page, 'recovered-carts'), /Not enough data/);
    assert.equal(await page.locator('#metrics-source').getAttribute('data-scope'), 'page');
    assert.match(await page.locator('#metrics-source').textContent(), /this page’s events only/);
    assert.match(await page.locator('#kpi-table tr[data-kpi="nudges"] .kpi-counts').textContent(), /on this page/);
    assert.match(await page.locator('#kpi-table tr[data-kpi="abandonment-rate"] .kpi-counts').textContent(), /carts still open are not counted/);
    const counts = await page.locator('#kpi-table tr[data-kpi] .kpi-counts').allTextContents();
    assert.equal(counts.length, await page.locator('#kpi-table tr[data-kpi]').count(), 'every figure says what it counts');
    assert.ok(counts.every((text) => text.length > 10));

    // With consent: checkout without touching the preselected delivery option, then the order.
    await page.click('#consent-grant');
    await page.waitForSelector('#consent-state[data-state="granted"]');
    await go(page, 'checkout.html');
    await fillCheckout(page);
    await page.click('#place-order');
    await page.waitForSelector('#confirmation:not([hidden])');
    await go(page, 'merchant.html');
    await figuresReady(page);
    assert.match(await page.locator('#metrics-source').textContent(), /consented events only/);
    assert.equal(await kpi(page, 'abandonment-rate'), '0%', 'the one cart that ended was bought');
    const stages = await page.locator('#funnel svg .funnel-row').evaluateAll((gs) => gs.map((g) => ({
      id: g.dataset.stage, count: Number(g.dataset.count), text: g.querySelector('.funnel-count').textContent })));
    const steps = stages.filter((s) => s.id.startsWith('step:'));
    assert.deepEqual(steps.map((s) => s.id), ['step:contact', 'step:address', 'step:delivery', 'step:payment']);
    assert.deepEqual(steps.map((s) => s.count), [1, 1, 1, 1], 'the default delivery option counts as the delivery step reached');
    assert.ok(stages.every((s) => !/[−-]0\s*%|−0%/.test(s.text)), stages.map((s) => s.text).join(' | '));
    mkdirSync(new URL('../../../build/screenshots/', import.meta.url), { recursive: true });
    await page.screenshot({ path: new URL('../../../build/screenshots/merchant-default-step.png', import.meta.url).pathname, fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
