// The demo shop in real Chromium under the demo server's strict CSP: listings, product page, add to cart,
// the cart widget, checkout, and the shop still working as a plain catalogue when the wasm core is missing.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, startDemo } from '../helpers/browser.mjs';
import { fillCheckout } from '../helpers/demo-checkout.mjs';

let browser;
let demo;
let brokenDemo; // answers /dist/cartkeep.wasm with 404

before(async () => {
  browser = await launchBrowser();
  demo = await startDemo();
  brokenDemo = await startDemo({
    onRequest(url, request, response) {
      if (url.pathname === '/dist/cartkeep.wasm') {
        response.writeHead(404).end();
        return true;
      }
      return false;
    },
  });
});

after(async () => {
  await browser?.close();
  await demo?.close();
  await brokenDemo?.close();
});

// Records CartKeep's document events from before any page script runs.
function recordEvents() {
  window.__events = [];
  for (const type of ['cartkeep:ready', 'cartkeep:cart-change', 'cartkeep:error']) {
    document.addEventListener(type, (event) => {
      window.__events.push({ type, detail: JSON.parse(JSON.stringify(event.detail ?? null)) });
    });
  }
}

async function visit(server, path) {
  const opened = await openPage(browser);
  await opened.page.addInitScript(recordEvents);
  await opened.page.goto(`${server.origin}/demo/${path}`);
  return opened;
}

const events = (page, type) => page.evaluate((t) => window.__events.filter((e) => e.type === t), type);
const waitForEvent = (page, type) => page.waitForFunction((t) => window.__events.some((e) => e.type === t), type);
const badgeText = (page) => page.evaluate(() => document.querySelector('cartkeep-cart-count')?.shadowRoot?.textContent ?? null);
const waitForBadge = (page, text) => page.waitForFunction(
  (t) => document.querySelector('cartkeep-cart-count')?.shadowRoot?.textContent === t, text);

describe('demo shop with CartKeep', () => {
  test('home page lists products, filters by category and searches', async () => {
    const { context, page, problems } = await visit(demo, '');
    try {
      await waitForEvent(page, 'cartkeep:ready');
      await page.waitForSelector('#product-grid .product-card');
      const titles = await page.locator('#product-grid .product-card-title').allTextContents();
      assert.ok(titles.length >= 12, `only ${titles.length} products shown`);
      assert.equal(titles[0], 'White Hanging Heart T-Light Holder');
      assert.equal(await page.locator('#category-nav a').count() >= 10, true, 'category navigation rendered');
      assert.equal(await badgeText(page), '0');
      assert.equal(await page.locator('#product-grid [data-cartkeep-add]:not([disabled])').count() > 0, true);

      await page.goto(`${demo.origin}/demo/index.html?category=Bags`);
      await page.waitForSelector('#product-grid .product-card');
      const categories = await page.locator('#product-grid .product-card-category').allTextContents();
      assert.ok(categories.length > 0 && categories.every((c) => c === 'Bags'), categories.join(', '));
      assert.equal(await page.locator('#listing-title').textContent(), 'Bags');
      assert.equal(await page.locator('#category-nav a[aria-current="page"]').textContent(), 'Bags');

      // untrusted URL parameters are shown as text, never as markup
      await page.goto(`${demo.origin}/demo/index.html?q=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
      await page.waitForSelector('#empty-state:not([hidden])');
      assert.match(await page.locator('#empty-state').textContent(), /<img src=x onerror=alert\(1\)>/);
      assert.equal(await page.locator('main img[src="x"]').count(), 0);

      await page.goto(`${demo.origin}/demo/index.html?q=hot+water+bottle`);
      await page.waitForSelector('#product-grid .product-card');
      const found = await page.locator('#product-grid .product-card-title').allTextContents();
      assert.ok(found.length > 3 && found.every((t) => /hot water bottle/i.test(t)), found.join(', '));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('product page shows the product; add to cart updates the badge and fires cartkeep:cart-change', async () => {
    const { context, page, problems } = await visit(demo, 'product.html?id=85123A');
    try {
      await waitForEvent(page, 'cartkeep:ready');
      assert.equal(await page.locator('#product-title').textContent(), 'White Hanging Heart T-Light Holder');
      assert.equal(await page.locator('#product-price').textContent(), '£2.95');
      assert.equal(await page.title(), 'White Hanging Heart T-Light Holder — Hearth & Twine');
      const button = page.locator('#add-to-cart');
      assert.equal(await button.getAttribute('data-cartkeep-add'), '85123A');
      assert.equal(await button.getAttribute('data-cartkeep-quantity-from'), '#qty');

      await page.fill('#qty', '3');
      await button.click();
      await waitForBadge(page, '3');
      const changes = await events(page, 'cartkeep:cart-change');
      assert.equal(changes.length, 1);
      assert.equal(changes[0].detail.action, 'add');
      assert.equal(changes[0].detail.productId, '85123A');
      assert.equal(changes[0].detail.cart.count, 3);
      assert.equal(changes[0].detail.cart.subtotal, 885);
      await page.waitForSelector('#toast:not([hidden])');
      assert.match(await page.locator('#cart-status').textContent(), /3 in your cart/);

      // an unknown id is a friendly "not found", not an error
      await page.goto(`${demo.origin}/demo/product.html?id=${encodeURIComponent('"><b>nope')}`);
      await page.waitForSelector('#not-found:not([hidden])');
      assert.match(await page.locator('#not-found-text').textContent(), /"><b>nope/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('cart page: the line shows in <cartkeep-cart> and changing its quantity updates the subtotal', async () => {
    const { context, page, problems } = await visit(demo, 'cart.html');
    try {
      await waitForEvent(page, 'cartkeep:ready');
      assert.match(await page.evaluate(() => document.querySelector('cartkeep-cart').shadowRoot.textContent), /Your cart is empty/);
      // The cart page's suggestions are <cartkeep-suggestions> now (tests/e2e/suggest/suggest-demo.test.mjs): add directly.
      await page.evaluate(() => CartKeep.ready.then(async (cartkeep) => await cartkeep.cart.add('85123A')));
      const line = page.locator('cartkeep-cart li[data-product-id="85123A"]'); // Playwright CSS pierces open shadow roots
      await line.waitFor();
      assert.match(await line.textContent(), /White Hanging Heart T-Light Holder/);
      const subtotal = page.locator('cartkeep-cart [data-subtotal]');
      assert.equal(await subtotal.textContent(), '£2.95');

      await line.getByRole('button', { name: /Increase quantity/ }).click();
      await page.waitForFunction(() => document.querySelector('cartkeep-cart').shadowRoot.querySelector('[data-subtotal]')?.textContent === '£5.90');
      await line.locator('input').fill('4');
      await line.locator('input').press('Tab'); // commits the value: change event
      await page.waitForFunction(() => document.querySelector('cartkeep-cart').shadowRoot.querySelector('[data-subtotal]')?.textContent === '£11.80');
      await waitForBadge(page, '4');
      const last = (await events(page, 'cartkeep:cart-change')).at(-1);
      assert.equal(last.detail.action, 'set-quantity');
      assert.equal(last.detail.cart.subtotal, 1180);
      assert.equal(await page.locator('cartkeep-cart a.checkout').getAttribute('href'), 'checkout.html');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('empty cart page: an empty state with a way back to the shop, no total, no code field, no "complete your order"', async () => {
    const { context, page, problems } = await visit(demo, 'cart.html');
    try {
      await waitForEvent(page, 'cartkeep:ready');
      const state = () => page.evaluate(() => {
        const shown = (node) => Boolean(node) && node.getClientRects().length > 0;
        const cart = document.querySelector('cartkeep-cart').shadowRoot;
        const link = cart.querySelector('[part=continue]');
        return {
          empty: cart.querySelector('[part=empty]')?.textContent ?? null,
          link: link ? { text: link.textContent, href: link.getAttribute('href'), shown: shown(link) } : null,
          preview: shown(document.querySelector('cartkeep-cost-preview[coupons]')),
          total: document.querySelector('cartkeep-cost-preview[coupons]').shadowRoot.querySelector('[data-total]') !== null,
          coupon: document.querySelector('cartkeep-cost-preview[coupons]').shadowRoot.querySelector('input[name=coupon]') !== null,
          completeOrder: shown(document.getElementById('complete-order')),
          totalHeading: shown(document.getElementById('total-title')),
          destination: shown(document.querySelector('cartkeep-destination-picker')),
          promise: shown(document.getElementById('promise-title')),
        };
      });
      await page.waitForFunction(() => document.body.hasAttribute('data-cart-empty'));
      const empty = await state();
      assert.deepEqual(empty, {
        empty: 'Your cart is empty', link: { text: 'Continue shopping', href: 'index.html', shown: true },
        preview: false, total: false, coupon: false, completeOrder: false, totalHeading: false, destination: false, promise: true,
      });
      mkdirSync(new URL('../../../build/screenshots/', import.meta.url), { recursive: true });
      await page.screenshot({ path: new URL('../../../build/screenshots/cart-empty.png', import.meta.url).pathname, fullPage: true });
      // With an item the summary comes back; emptied again, it goes.
      await page.evaluate(() => CartKeep.ready.then(async (cartkeep) => await cartkeep.cart.add('85123A')));
      await page.waitForFunction(() => !document.body.hasAttribute('data-cart-empty'));
      const filled = await state();
      assert.equal(filled.preview && filled.total && filled.coupon && filled.totalHeading, true);
      assert.equal(filled.link, null);
      await page.evaluate(() => CartKeep.ready.then(async (cartkeep) => await cartkeep.cart.remove('85123A')));
      await page.waitForFunction(() => document.body.hasAttribute('data-cart-empty'));
      assert.deepEqual(await state(), empty);
      await page.locator('cartkeep-cart [part=continue]').click();
      await page.waitForURL(/\/demo\/index\.html$/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('checkout: summary from the cart, validation, then a confirmation that empties the cart', async () => {
    const { context, page, problems } = await visit(demo, 'checkout.html');
    try {
      await waitForEvent(page, 'cartkeep:ready');
      await page.evaluate(() => CartKeep.ready.then(async (cartkeep) => { await cartkeep.cart.add('22423', 1); await cartkeep.cart.add('47566', 2); }));
      await page.waitForFunction(() => document.getElementById('summary-subtotal').textContent === '£22.65');
      assert.equal(await page.locator('#summary-lines li').count(), 2);
      await page.click('#place-order');
      assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#confirmation').isVisible(), false);
      await fillCheckout(page);
      await page.click('#place-order');
      await page.waitForSelector('#confirmation:not([hidden])');
      assert.equal(await page.locator('#confirmation-title').textContent(), 'Thank you, Ada!');
      assert.match(await page.locator('#order-number').textContent(), /^HT-[0-9A-F]{8}$/);
      await waitForBadge(page, '0');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('demo shop when the wasm core cannot load', () => {
  // The 404 itself is logged by Chromium as "Failed to load resource"; anything else is a real problem.
  const unexpected = (problems) => problems.filter((p) => !/Failed to load resource: .*404/.test(p));

  test('CartKeep.ready rejects with wasm-load-failed, cartkeep:error fires, the catalogue still renders', async () => {
    const { context, page, problems } = await visit(brokenDemo, '');
    try {
      const outcome = await page.evaluate(() => CartKeep.ready.then(
        () => ({ resolved: true }),
        (error) => ({ resolved: false, code: error.code, name: error.name })));
      assert.deepEqual(outcome, { resolved: false, code: 'wasm-load-failed', name: 'CartKeepError' });
      const errors = await events(page, 'cartkeep:error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0].detail.code, 'wasm-load-failed');
      assert.deepEqual(await events(page, 'cartkeep:ready'), []);

      await page.waitForSelector('#product-grid .product-card');
      assert.ok(await page.locator('#product-grid .product-card').count() >= 12);
      await page.waitForSelector('#shop-notice:not([hidden])');
      assert.equal(await page.locator('#product-grid [data-cartkeep-add]:not([disabled])').count(), 0, 'add buttons are disabled');
      assert.deepEqual(unexpected(problems), []);

      await page.goto(`${brokenDemo.origin}/demo/product.html?id=22423`);
      await page.waitForSelector('#product-detail:not([hidden])');
      assert.equal(await page.locator('#product-title').textContent(), 'Regency Cake Stand 3 Tier');
      assert.equal(await page.locator('#product-price').textContent(), '£12.75');
      await page.waitForSelector('#shop-notice:not([hidden])');
      assert.equal(await page.locator('#add-to-cart').isDisabled(), true);
      assert.deepEqual(unexpected(problems), []);
    } finally {
      await context.close();
    }
  });
});
