// The demo's "10% off if you order now" nudge, accepted: the code goes into the quote, the cost preview shows
// the discounted total, and the wording fits the page (cart: apply and go to checkout; checkout: apply here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openPage, useDemoBrowser } from '../helpers/browser.mjs';

const CODE = 'STAYCOSY10';
// The demo's own store.json with its coupon nudge made certain: every visit, no hold-out, any risk or cart.
const config = JSON.parse(readFileSync(new URL('../../../demo/config/store.json', import.meta.url), 'utf8'));
const couponRule = config.nudges.playbook.find((rule) => rule.id === 'coupon');
config.nudges = { ...config.nudges, holdout: 0, minGapMs: 0,
  playbook: [{ ...couponRule, minCartValue: 1, minRisk: 0, visitShare: 1, maxPerDays: { count: 9, days: 1 } }] };

const shared = useDemoBrowser({
  onRequest(url, request, response) {
    if (url.pathname !== '/demo/config/store.json') return false;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
    return true;
  },
});

async function openShop(path) {
  const opened = await openPage(shared.browser, undefined, { context: { viewport: { width: 1280, height: 800 } } });
  await opened.page.goto(`${shared.demo.origin}/demo/${path}`);
  await opened.page.evaluate(async () => { await window.CartKeep.ready; });
  return opened;
}

async function leaveThroughTheTop(page) {
  await page.mouse.move(600, 400);
  await page.waitForTimeout(1100); // exit intent arms after a moment on the page
  for (let y = 400; y >= 100; y -= 50) await page.mouse.move(600, y);
  await page.mouse.move(600, -5);
  await page.waitForFunction(() => document.querySelector('[data-cartkeep-nudge]'));
  return page.evaluate(() => {
    const root = document.querySelector('[data-cartkeep-nudge]').shadowRoot;
    return { body: root.querySelector('#cartkeep-nudge-body p').textContent, button: root.querySelector('[part=copy]').textContent };
  });
}

const quoteNow = (page) => page.evaluate(async () => {
  const quote = (await window.CartKeep.ready).quote();
  return { total: quote.total, discount: quote.discount, coupons: quote.coupons.filter((c) => c.applied).map((c) => c.code) };
});
// The checkout's order summary: the preview with the code field (the delivery step has one for the methods).
const previewText = (page) => page.evaluate(() => document.querySelector('cartkeep-cost-preview[coupons]').shadowRoot.textContent);

test('accepting the coupon nudge on the cart applies the code and checkout shows the discounted total', { timeout: 90000 }, async () => {
  const { context, page, problems } = await openShop('product.html?id=85123A');
  try {
    await page.evaluate(async () => { (await window.CartKeep.ready).cart.add('85123A', 10); });
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
    await page.waitForFunction((code) => window.CartKeep.ready.then((i) => i.quote.coupons().includes(code)), CODE);
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
  const { context, page, problems } = await openShop('product.html?id=85123A');
  try {
    await page.evaluate(async () => { (await window.CartKeep.ready).cart.add('85123A', 10); });
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
