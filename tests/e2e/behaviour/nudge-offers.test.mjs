// The demo's nudges and the clicks a shopper makes on them. On a phone an ordinary look back up is no exit, a
// fling to the top is, and the save offer it brings shows the share options (copy, email, WhatsApp), not a
// bare link; on the checkout pages no nudge interrupts (the exit-intent event is still emitted). A merchant URL
// option that is not a URL is refused at init with its path, and no click on a nudge, the share widget or the
// welcome-back banner throws into the page. The coupon nudge, accepted, applies its code.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openPage, useDemoBrowser, waitForAnswer } from '../helpers/browser.mjs';

const storeJson = JSON.parse(readFileSync(new URL('../../../demo/config/store.json', import.meta.url), 'utf8'));
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

// The demo's store.json with its playbook narrowed to the rules a test names, made certain (no hold-out, every
// visit, any trigger, risk, reason or cart, no gap between nudges).
function configWith(ids) {
  const rules = storeJson.nudges.playbook.filter((rule) => ids.includes(rule.id))
    .map(({ triggers, reasons, ...rule }) => ({ ...rule, minCartValue: 1, minRisk: 0, visitShare: 1, maxPerDays: { count: 99, days: 1 }, maxPerSession: 99 }));
  return { ...storeJson, nudges: { ...storeJson.nudges, holdout: 0, minGapMs: 0, maxPerSession: 99, maxPerDays: { count: 99, days: 1 }, playbook: rules } };
}

const shared = useDemoBrowser();

// Every behaviour event of the page, in order, as [name, detail.reason or detail.rule].
function recordBehaviourEvents() {
  window.seen = [];
  for (const name of ['exit-intent', 'nudge-shown', 'nudge-held-out', 'nudge-accepted', 'nudge-dismissed']) {
    document.addEventListener(`cartkeep:${name}`, (event) => window.seen.push([name, event.detail.reason ?? event.detail.rule]));
  }
}

// A demo page in a new context whose playbook is the rules named.
async function openShop(path, contextOptions, rules) {
  const opened = await openPage(shared.browser, undefined, { context: contextOptions });
  const config = JSON.stringify(configWith(rules));
  await opened.context.route('**/demo/config/store.json', (route) => route.fulfill({ contentType: 'application/json', body: config }));
  await opened.context.route('https://wa.me/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>WhatsApp</title>' }));
  await opened.page.addInitScript(recordBehaviourEvents);
  await opened.page.goto(`${shared.demo.origin}/demo/${path}`);
  await opened.page.evaluate(async () => { await window.CartKeep.ready; });
  return opened;
}

// One product under the demo coupon's minimum, so the cart is worth saving.
const addToCart = (page) => page.evaluate(async () => {
  const store = await window.CartKeep.ready;
  const product = store.catalog.products().find((p) => p.price < 3000 && (p.stock === null || p.stock === undefined || p.stock > 2));
  await store.cart.add(product.id, 1);
});

// Scrolls the page through [toY, ms] segments, one position per frame, easing out like a released fling.
const scrollThrough = (page, segments) => page.evaluate((parts) => new Promise((done) => {
  const next = () => {
    const part = parts.shift();
    if (!part) return done();
    const [to, ms] = part;
    if (to === null) return setTimeout(next, ms); // a pause
    const from = scrollY;
    const start = performance.now();
    const frame = () => {
      const f = Math.min(1, (performance.now() - start) / ms);
      scrollTo(0, from + (to - from) * (1 - (1 - f) ** 3));
      if (f < 1) requestAnimationFrame(frame);
      else next();
    };
    return requestAnimationFrame(frame);
  };
  next();
}), segments);

// The demo's pages are about a screen long on a phone: a long page of reading below them.
const makeLong = (page) => page.evaluate(() => {
  const spacer = document.createElement('div');
  spacer.style.height = '3000px';
  document.body.append(spacer);
});

const seen = (page) => page.evaluate(() => window.seen);

test('phone: a look back up is no exit; a fling to the top offers to save the cart with copy, email and WhatsApp; copying accepts it', { timeout: 90000 }, async () => {
  const { context, page, problems } = await openShop('cart.html', { ...PHONE, permissions: ['clipboard-read', 'clipboard-write'] }, ['save']);
  try {
    await addToCart(page);
    await makeLong(page);
    await page.waitForTimeout(1100); // exit intent arms after a moment on the page
    // Reading down two screens, then back up half a screen to reread, slowly, stopping mid-page.
    await scrollThrough(page, [[1700, 2500], [null, 500], [1200, 1200], [null, 600]]);
    assert.deepEqual(await seen(page), [], 'rereading is no exit');
    // Then a fling to the top, toward the address bar.
    await scrollThrough(page, [[0, 450]]);
    await page.waitForFunction(() => document.querySelector('[data-cartkeep-nudge]'));
    assert.deepEqual(await seen(page), [['exit-intent', 'scroll-up'], ['nudge-shown', 'save']]);
    const share = (part) => page.locator(`[data-cartkeep-nudge] cartkeep-share-cart [part=${part}]`);
    assert.equal(await share('copy').textContent(), 'Copy link');
    assert.match(await share('email').getAttribute('href'), /^mailto:\?subject=.*&body=.*cartkeep%3D/);
    assert.match(await share('whatsapp').getAttribute('href'), /^https:\/\/wa\.me\/\?text=.*cartkeep%3D/);
    const link = await share('link').inputValue();
    assert.match(link, /cart\.html\?cartkeep=/);
    // The share widget is the offer: the dialog has no raw link of its own.
    assert.equal(await page.locator('[data-cartkeep-nudge] >> [part=link]').count(), 1);
    await share('copy').click();
    await page.waitForFunction(() => !document.querySelector('[data-cartkeep-nudge]'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    assert.deepEqual((await seen(page)).at(-1), ['nudge-accepted', 'save']);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('phone: the same fling on the checkout page is an exit-intent event, and no nudge interrupts the order', { timeout: 90000 }, async () => {
  const { context, page, problems } = await openShop('cart.html', PHONE, ['save', 'reassure']);
  try {
    await addToCart(page);
    await page.goto(`${shared.demo.origin}/demo/checkout.html`);
    await page.evaluate(async () => { await window.CartKeep.ready; });
    await makeLong(page);
    await page.waitForTimeout(1100);
    await scrollThrough(page, [[1700, 2500], [null, 500], [0, 450], [null, 500]]);
    assert.deepEqual(await seen(page), [['exit-intent', 'scroll-up']]);
    assert.equal(await page.locator('[data-cartkeep-nudge]').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a merchant URL option that is not a URL is refused at init with an invalid-options error naming its path', { timeout: 60000 }, async () => {
  const bad = { ...storeJson, nudges: { ...storeJson.nudges, playbook: [{ id: 'reassure', offer: { type: 'reassurance', checkoutUrl: 'https://evil.example:99999/x' } }] } };
  const { context, page, problems } = await openPage(shared.browser, undefined, { context: DESKTOP });
  try {
    await page.route('**/demo/__bad/config.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(bad) }));
    await page.route('**/demo/__bad/page.html', (route) => route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Shop</title></head><body><main><h1>Shop</h1></main><script src="/dist/cartkeep.js" data-config="config.json"></script></body></html>',
    }));
    await page.goto(`${shared.demo.origin}/demo/__bad/page.html`);
    const refused = await page.evaluate(() => window.CartKeep.ready.then(() => null, (error) => ({ name: error.name, code: error.code, path: error.path, message: error.message })));
    assert.equal(refused.name, 'CartKeepError');
    assert.equal(refused.code, 'invalid-options');
    assert.equal(refused.path, 'options.nudges.playbook[0].offer.checkoutUrl');
    assert.match(refused.message, /options\.nudges\.playbook\[0\]\.offer\.checkoutUrl/);
    // The page goes on: a click on it throws nothing.
    await page.locator('h1').click();
    assert.deepEqual(problems.filter((p) => !p.startsWith('console:')), []);
  } finally {
    await context.close();
  }
});

// Leaves the page through the top (desktop) and waits for the nudge.
async function nudgeOnLeaving(page) {
  await page.mouse.move(600, 400);
  await page.waitForTimeout(1100); // exit intent arms after a moment on the page, deep enough below the top
  for (let y = 400; y >= 100; y -= 50) await page.mouse.move(600, y);
  await page.mouse.move(600, -5);
  await page.waitForFunction(() => document.querySelector('[data-cartkeep-nudge]'));
}

test('no click on a nudge, the share widget or the welcome-back banner throws into the page', { timeout: 240000 }, async () => {
  // Per rule, the controls that open a URL or another page (one nudge each; the one that leaves the page
  // last); the rules side by side, each on its own page.
  const clicks = {
    reassure: ['[part=accept]'],
    save: ['cartkeep-share-cart [part=email]', 'cartkeep-share-cart [part=whatsapp]'], // copy: the phone test above
    help: ['[data-help=phone]', '[data-help=whatsapp]'], // the coupon's button: the coupon tests below
  };
  const thrown = [];
  // One visit per control: the visit's nudge caps (and their spacing) never decide whether a nudge comes back.
  const visits = Object.entries(clicks).flatMap(([rule, parts]) => parts.map((part) => [rule, part]));
  await Promise.all(visits.map(async ([rule, part]) => {
    const { context, page, problems } = await openShop('cart.html', { ...DESKTOP, permissions: ['clipboard-read', 'clipboard-write'] }, [rule]);
    try {
      await addToCart(page);
      await nudgeOnLeaving(page).catch(() => { throw new Error(`no ${rule} nudge before clicking ${part}`); });
      await page.locator(`[data-cartkeep-nudge] ${part}`).first().click();
      if (await page.locator('[data-cartkeep-nudge]').count()) await page.keyboard.press('Escape'); // a link leaves it open
      await page.waitForTimeout(500);
      thrown.push(...problems.filter((p) => p.startsWith('pageerror')).map((p) => `${rule}: ${p}`));
    } finally {
      await context.close();
    }
  }));
  // The cart page's own share widget, then its link opened elsewhere: the banner's buttons.
  const { context, page, problems } = await openShop('cart.html', { ...DESKTOP, permissions: ['clipboard-read', 'clipboard-write'] }, []);
  try {
    await addToCart(page);
    await page.waitForFunction(() => document.querySelector('cartkeep-share-cart')?.shadowRoot.querySelector('[part=link]'));
    for (const part of ['copy', 'email', 'whatsapp']) await page.locator(`cartkeep-share-cart [part=${part}]`).click();
    const link = await page.locator('cartkeep-share-cart [part=link]').inputValue();
    // The link opened on the home page: the banner offers to resume at the cart.
    const elsewhere = await openShop(link.replace(/^.*\/demo\/cart\.html/, 'index.html'), DESKTOP, []);
    try {
      await elsewhere.page.waitForFunction(() => document.querySelector('cartkeep-resume-banner')?.shadowRoot.querySelector('[part=resume]'));
      await Promise.all([elsewhere.page.waitForURL(/cart\.html/), elsewhere.page.locator('cartkeep-resume-banner [part=resume]').click()]);
      await elsewhere.page.evaluate(async () => { await window.CartKeep.ready; });
      await elsewhere.page.waitForTimeout(300);
      thrown.push(...elsewhere.problems.filter((p) => p.startsWith('pageerror')).map((p) => `banner: ${p}`));
    } finally {
      await elsewhere.context.close();
    }
    thrown.push(...problems.filter((p) => p.startsWith('pageerror')).map((p) => `share: ${p}`));
  } finally {
    await context.close();
  }
  assert.deepEqual(thrown, []);
});

// The demo's "10% off if you order now" nudge, accepted: the code goes into the quote, the cost preview shows
// the discounted total, and the wording fits the page (cart: apply and go to checkout; checkout: apply here).
const CODE = 'STAYCOSY10';

async function leaveThroughTheTop(page) {
  await nudgeOnLeaving(page);
  return page.evaluate(() => {
    const root = document.querySelector('[data-cartkeep-nudge]').shadowRoot;
    return { body: root.querySelector('#cartkeep-nudge-body p').textContent, button: root.querySelector('[part=copy]').textContent };
  });
}

const quoteNow = (page) => page.evaluate(async () => {
  const quote = await (await window.CartKeep.ready).quote();
  return { total: quote.total, discount: quote.discount, coupons: quote.coupons.filter((c) => c.applied).map((c) => c.code) };
});
// The checkout's order summary: the preview with the code field (the delivery step has one for the methods).
const previewText = (page) => page.evaluate(() => document.querySelector('cartkeep-cost-preview[coupons]').shadowRoot.textContent);

test('accepting the coupon nudge on the cart applies the code and checkout shows the discounted total', { timeout: 90000 }, async () => {
  const { context, page, problems } = await openShop('product.html?id=85123A', DESKTOP, ['coupon']);
  try {
    await page.evaluate(async () => { await (await window.CartKeep.ready).cart.add('85123A', 10); });
    await page.goto(`${shared.demo.origin}/demo/cart.html`);
    await page.evaluate(async () => { await window.CartKeep.ready; });
    const before = await quoteNow(page);
    assert.deepEqual(before.coupons, []);
    const dialog = await leaveThroughTheTop(page);
    assert.equal(dialog.body, 'Continue and the discount is taken off your order.');
    assert.equal(dialog.button, 'Apply code and check out');
    await Promise.all([
      page.waitForURL(/checkout\.html/),
      page.evaluate(() => document.querySelector('[data-cartkeep-nudge]').shadowRoot.querySelector('[part=copy]').click()),
    ]);
    await page.evaluate(async () => { await window.CartKeep.ready; });
    await waitForAnswer(page, (code) => window.CartKeep.ready.then((i) => i.quote.coupons().includes(code)), CODE);
    const after = await quoteNow(page);
    assert.deepEqual(after.coupons, [CODE]);
    assert.ok(after.discount > 0, 'the discount is in the quote');
    assert.ok(after.total < before.total, `total ${after.total} below ${before.total}`);
    await page.waitForFunction((code) => document.querySelector('cartkeep-cost-preview[coupons]')?.shadowRoot?.textContent.includes(code), CODE);
    const preview = await previewText(page);
    const total = await page.evaluate((minor) => window.CartKeep.ready.then((i) => i.formatMoney(minor)), after.total);
    assert.ok(preview.includes(total), `the preview shows the discounted total ${total}: ${preview}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('on the checkout page the coupon nudge says it applies here, and applies without leaving the page', { timeout: 90000 }, async () => {
  const { context, page, problems } = await openShop('product.html?id=85123A', DESKTOP, ['coupon']);
  try {
    await page.evaluate(async () => { await (await window.CartKeep.ready).cart.add('85123A', 10); });
    await page.goto(`${shared.demo.origin}/demo/checkout.html`);
    await page.evaluate(async () => { await window.CartKeep.ready; });
    const before = await quoteNow(page);
    const dialog = await leaveThroughTheTop(page);
    assert.equal(dialog.body, 'Apply it and the discount is taken off this order.');
    assert.equal(dialog.button, 'Apply code');
    await page.evaluate(() => document.querySelector('[data-cartkeep-nudge]').shadowRoot.querySelector('[part=copy]').click());
    await page.waitForFunction(() => !document.querySelector('[data-cartkeep-nudge]'));
    assert.match(page.url(), /checkout\.html/);
    const after = await quoteNow(page);
    assert.deepEqual(after.coupons, [CODE]);
    assert.ok(after.total < before.total);
    await page.waitForFunction((code) => document.querySelector('cartkeep-cost-preview[coupons]')?.shadowRoot?.textContent.includes(code), CODE);
    const total = await page.evaluate((minor) => window.CartKeep.ready.then((i) => i.formatMoney(minor)), after.total);
    assert.ok((await previewText(page)).includes(total));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
