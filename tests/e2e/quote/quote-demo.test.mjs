// The demo shop's quote integration in Chromium: the total up front on the product page, the free-shipping
// bar and breakdown in the cart, the checkout following its own address fields, coupons, no CSP problems.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useDemoBrowser } from '../helpers/browser.mjs';

const shared = useDemoBrowser();

const text = (page, selector) => page.$eval(selector, (el) => el.shadowRoot.textContent.replace(/\s+/g, ' ').trim());

test('demo: the product preview follows the shop\'s +/- buttons, arrow keys and a value set by script', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.demo.origin}/demo/product.html?id=85123A`);
  const total = () => page.$eval('cartkeep-cost-preview', (el) => Number(el.shadowRoot.querySelector('[data-total]')?.dataset.total));
  await page.waitForFunction(() => document.querySelector('cartkeep-cost-preview')?.shadowRoot?.querySelector('[data-total="690"]'));
  // The shop's buttons set input.value by script (no input or change event).
  await page.click('#qty-plus');
  await page.click('#qty-plus');
  await page.waitForFunction(() => document.querySelector('cartkeep-cost-preview').shadowRoot.querySelector('[data-total="1280"]'));
  assert.equal(await page.inputValue('#qty'), '3');
  await page.click('#qty-minus');
  await page.waitForFunction(() => document.querySelector('cartkeep-cost-preview').shadowRoot.querySelector('[data-total="985"]'));
  await page.focus('#qty');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => document.querySelector('cartkeep-cost-preview').shadowRoot.querySelector('[data-total="1280"]'));
  // A value written by another script, followed by any later interaction on the page.
  await page.evaluate(() => { document.querySelector('#qty').value = '14'; });
  await page.click('h1');
  await page.waitForFunction(() => document.querySelector('cartkeep-cost-preview').shadowRoot.querySelector('[data-total="4130"]'));
  assert.equal(await total(), 4130);
  assert.deepEqual(problems, []);
  await context.close();
});

test('demo: the product page shows arrival dates and country names without making a date or display-name formatter; quote.now() makes one', async () => {
  const { context, page, problems } = await openPage(shared.browser);
  // Every date and display-name formatter the page makes (the engine's worker has its own Intl, which words the
  // dates, the store's minute and the country names).
  await context.addInitScript(() => {
    window.madeFormatters = [];
    for (const name of ['DateTimeFormat', 'DisplayNames']) {
      const Original = Intl[name];
      const Recorded = function (locales, options) {
        window.madeFormatters.push(`${name} ${(options && options.timeZone) || ''}`.trim());
        return new Original(locales, options);
      };
      Recorded.prototype = Original.prototype;
      Recorded.supportedLocalesOf = Original.supportedLocalesOf;
      Intl[name] = Recorded;
    }
  });
  await page.goto(`${shared.demo.origin}/demo/product.html?id=85123A`);
  await page.waitForFunction(() => /To United Kingdom[\s\S]*Arrives \w{3} \d+/.test(document.querySelector('cartkeep-cost-preview')?.shadowRoot?.textContent || ''));
  await page.waitForFunction(() => /United Kingdom/.test(document.querySelector('cartkeep-destination-picker')?.shadowRoot?.textContent || ''));
  await page.evaluate(() => CartKeep.ready.then((store) => store.cart.add('85123A', 1)));
  await page.waitForFunction(() => document.querySelector('cartkeep-cart-count').shadowRoot.textContent.trim() === '1');
  assert.deepEqual(await page.evaluate(() => window.madeFormatters), []);
  const now = await page.evaluate(() => CartKeep.ready.then((store) => store.quote.now()));
  assert.match(now, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  assert.deepEqual(await page.evaluate(() => window.madeFormatters), ['DateTimeFormat Europe/London']);
  // A value the engine never sent is still worded on the page.
  const christmas = await page.evaluate(() => CartKeep.ready.then((store) => store.quote.message({ key: '{d}', values: { d: { date: '2026-12-25' } } })));
  assert.equal(christmas, 'Fri 25 Dec');
  assert.deepEqual(problems, []);
  await context.close();
});

test('demo: product preview, cart bar and breakdown, checkout destination and coupon', async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.demo.origin}/demo/product.html?id=85123A`);
  // £2.95 holder: standard UK delivery £3.95, VAT included.
  await page.waitForFunction(() => /total £6\.90/.test(document.querySelector('cartkeep-cost-preview')?.shadowRoot?.textContent || ''));
  assert.match(await text(page, 'cartkeep-cost-preview'), /^To United Kingdom\s*Shipping £3\.95, VAT included, total £6\.90\s*Arrives /);
  // The preview follows the quantity field: 14 x £2.95 = £41.30 ships free.
  await page.fill('#qty', '14');
  await page.waitForFunction(() => /Free shipping, VAT included, total £41\.30/.test(document.querySelector('cartkeep-cost-preview').shadowRoot.textContent));
  await page.fill('#qty', '4');
  await page.waitForFunction(() => !document.querySelector('#add-to-cart').disabled);
  await page.click('#add-to-cart');
  await page.waitForFunction(() => document.querySelector('cartkeep-cart-count').shadowRoot.textContent.trim() === '4');

  // Pages do not share the cart until persistence lands: each page fills its own.
  const fill = () => page.evaluate(() => CartKeep.ready.then(async (store) => { await store.cart.setQuantity('85123A', 4); }));
  await page.goto(`${shared.demo.origin}/demo/cart.html`);
  await fill();
  await page.waitForFunction(() => /Spend/.test(document.querySelector('cartkeep-shipping-bar').shadowRoot?.textContent || ''));
  assert.match(await text(page, 'cartkeep-shipping-bar'), /Spend £28\.20 more for free shipping/);
  const breakdown = await page.$eval('.cart-aside cartkeep-cost-preview', (el) => ({
    rows: [...el.shadowRoot.querySelectorAll('dd[data-kind]')].map((dd) => Number(dd.dataset.amount)),
    total: Number(el.shadowRoot.querySelector('dd[data-total]').dataset.total),
    text: el.shadowRoot.textContent,
  }));
  assert.equal(breakdown.total, 1180 + 395);
  assert.equal(breakdown.rows.reduce((a, b) => a + b, 0), breakdown.total);
  assert.match(breakdown.text, /Includes VAT \(20%\)£2\.63/);

  await page.goto(`${shared.demo.origin}/demo/checkout.html`);
  await fill();
  await page.waitForFunction(() => document.querySelector('.order-summary cartkeep-cost-preview')?.shadowRoot?.querySelector('dd[data-total]'));
  await page.selectOption('#country', 'FR');
  await page.waitForFunction(() => /International tracked/.test(document.querySelector('#shipping-options cartkeep-cost-preview').shadowRoot.textContent));
  const total = () => page.$eval('.order-summary cartkeep-cost-preview', (el) => Number(el.shadowRoot.querySelector('dd[data-total]').dataset.total));
  assert.equal(await total(), 1180 + 1695); // 4 x 320 g = 1280 g: the 1-5 kg EU tier, no UK VAT on exports
  const coupon = page.locator('.order-summary cartkeep-cost-preview input[name=coupon]');
  await coupon.fill('FREESHIP');
  await page.locator('.order-summary cartkeep-cost-preview button[type=submit]').click();
  await page.waitForFunction(() => /FREESHIP/.test(document.querySelector('.order-summary cartkeep-cost-preview').shadowRoot.textContent));
  assert.deepEqual(problems, []);
  await context.close();
});
