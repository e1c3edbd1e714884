// The quote widgets in real Chromium under the strict CSP: product-page preview, cart breakdown with
// shipping options and coupons, free-shipping bar, remembered destination picker, Arabic right-to-left,
// untrusted text staying text, and what the widgets show while the engine answers.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { ukCatalog, ukQuoteOptions } from '../../js/helpers/quote-store.mjs';
import { holdEngineAnswers, launchBrowser, openPage, startDemo } from '../helpers/browser.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const catalog = [...ukCatalog, { id: 'evil', title: '<img src=x onerror="window.__xss=1">Mug', price: 500, category: 'Kitchen', weight: 100, shippingClass: 'bulky' }];

function config(locale) {
  const options = { currency: 'GBP', locale, catalog, ...ukQuoteOptions() };
  // A clock far from any cut-off would make the countdown flaky; the delivery calendar stays as is.
  return JSON.stringify(options);
}

function page(locale, dir) {
  return `<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"><title>quote</title></head><body>
<main>
  <section id="product"><cartkeep-cost-preview product-id="lantern"></cartkeep-cost-preview></section>
  <section id="picker"><cartkeep-destination-picker></cartkeep-destination-picker></section>
  <section id="bar"><cartkeep-shipping-bar></cartkeep-shipping-bar></section>
  <section id="cart"><cartkeep-cost-preview coupons></cartkeep-cost-preview></section>
</main>
<script src="/dist/cartkeep.js" data-config="/quote-e2e/${locale}.json"></script></body></html>`;
}

let browser;
let demo;

before(async () => {
  browser = await launchBrowser();
  demo = await startDemo({
    onRequest(url, request, response) {
      if (url.pathname === '/favicon.ico') {
        response.writeHead(204).end();
        return true;
      }
      const match = url.pathname.match(/^\/quote-e2e\/(en-GB|ar-AE)(\.json|\.html)$/);
      if (!match) return false;
      if (match[2] === '.json') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(config(match[1]));
      } else {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP })
          .end(page(match[1], match[1] === 'ar-AE' ? 'rtl' : 'ltr'));
      }
      return true;
    },
  });
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

const shadowText = (page, selector) => page.$eval(selector, (el) => el.shadowRoot.textContent.replace(/\s+/g, ' ').trim());

// The product preview shows the engine's quote (until then it holds its place with a placeholder or its last view).
async function ready(page) {
  await page.waitForFunction(() => {
    const preview = document.querySelector('cartkeep-cost-preview');
    return window.CartKeep && preview?.shadowRoot?.querySelector('[part=preview]') && !preview.hasAttribute('data-last-view');
  });
}

test('product preview, cart breakdown, method choice, coupon form and shipping bar', async () => {
  const { context, page, problems } = await openPage(browser, `${demo.origin}/quote-e2e/en-GB.html`);
  await ready(page);
  const preview = await shadowText(page, '#product cartkeep-cost-preview');
  assert.match(preview, /^To United Kingdom/);
  assert.match(preview, /Shipping £3\.95, tax included, total £23\.94/);
  assert.match(preview, /Arrives /);
  assert.equal(await page.$eval('#product cartkeep-cost-preview', (el) => el.shadowRoot.querySelector('[data-total]').dataset.total), '2394');

  // The bar stays hidden for an empty cart, then shows the gap.
  assert.equal(await page.$eval('cartkeep-shipping-bar', (el) => el.hidden), true);
  await page.evaluate(() => CartKeep.ready.then(async (store) => { await store.cart.add('mug', 2); }));
  await page.waitForFunction(() => !document.querySelector('cartkeep-shipping-bar').hidden);
  assert.match(await shadowText(page, 'cartkeep-shipping-bar'), /Spend £23\.00 more for free shipping/);
  assert.equal(await page.$eval('cartkeep-shipping-bar', (el) => el.shadowRoot.querySelector('progress').value), 42);

  const breakdown = () => page.$eval('#cart cartkeep-cost-preview', (el) => {
    const root = el.shadowRoot;
    return {
      rows: [...root.querySelectorAll('dd[data-kind]')].map((dd) => [dd.dataset.kind, Number(dd.dataset.amount)]),
      total: Number(root.querySelector('dd[data-total]').dataset.total),
      methods: [...root.querySelectorAll('label.method')].map((l) => [l.dataset.method, l.querySelector('input').checked]),
    };
  });
  let view = await breakdown();
  assert.deepEqual(view.rows, [['subtotal', 1700], ['shipping', 395]]);
  assert.equal(view.total, 2095);
  assert.deepEqual(view.methods, [['standard', true], ['express', false]]);
  assert.equal(view.rows.reduce((sum, [, amount]) => sum + amount, 0), view.total);

  // Choose express: the total follows.
  await page.locator('#cart cartkeep-cost-preview label[data-method="express"] input').check();
  await page.waitForFunction(() => document.querySelector('#cart cartkeep-cost-preview').shadowRoot.querySelector('dd[data-total]').dataset.total === '2495');

  // A refused code says why; an accepted one adds a discount row.
  const input = page.locator('#cart cartkeep-cost-preview input[name=coupon]');
  await input.fill('welcome10');
  await page.locator('#cart cartkeep-cost-preview button[type=submit]').click();
  await page.waitForFunction(() => /Spend £3\.00 more to use WELCOME10/.test(document.querySelector('#cart cartkeep-cost-preview').shadowRoot.textContent));
  await page.evaluate(() => CartKeep.ready.then(async (store) => { await store.cart.add('lantern', 1); }));
  await input.fill('WELCOME10');
  await page.locator('#cart cartkeep-cost-preview button[type=submit]').click();
  await page.waitForFunction(() => document.querySelector('#cart cartkeep-cost-preview').shadowRoot.querySelector('dd[data-kind=discount]'));
  view = await breakdown();
  assert.deepEqual(view.rows.find(([kind]) => kind === 'discount'), ['discount', -370]);
  assert.equal(view.rows.reduce((sum, [, amount]) => sum + amount, 0), view.total);
  assert.match(await shadowText(page, '#cart cartkeep-cost-preview'), /WELCOME10 applied/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('while the engine answers, the widgets keep what they show at its size; then they show the answer', async () => {
  const { context, page, problems } = await openPage(browser, `${demo.origin}/quote-e2e/en-GB.html`);
  await ready(page);
  await page.evaluate(() => CartKeep.ready.then(async (store) => { await store.cart.add('mug', 2); }));
  const cart = '#cart cartkeep-cost-preview';
  await page.waitForFunction((sel) => document.querySelector(sel).shadowRoot.querySelector('dd[data-total]')?.dataset.total === '2095', cart);
  const shown = () => page.$eval(cart, (el) => ({ total: el.shadowRoot.querySelector('dd[data-total]')?.dataset.total, height: el.getBoundingClientRect().height }));
  const before = await shown();
  // Hold every quote answer: the shopper picks express, the widgets ask again and wait.
  await holdEngineAnswers(page, 'quote');
  await page.locator(`${cart} label[data-method="express"] input`).check();
  await page.waitForFunction(() => window.held.length > 0);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.deepEqual(await shown(), before, 'the old breakdown stays, at its height, until the answer comes');
  // Released: the answers arrive one by one (each action waits for the one before it) and the breakdown follows.
  await page.evaluate(() => new Promise((resolve) => {
    const release = () => {
      for (const answer of window.held.splice(0)) answer();
      const total = document.querySelector('#cart cartkeep-cost-preview').shadowRoot.querySelector('dd[data-total]').dataset.total;
      if (total === '2495') resolve();
      else setTimeout(release, 10);
    };
    release();
  }));
  assert.equal((await shown()).total, '2495');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the destination picker is remembered and every widget follows it', async () => {
  const { context, page, problems } = await openPage(browser, `${demo.origin}/quote-e2e/en-GB.html`);
  await ready(page);
  await page.locator('cartkeep-destination-picker select').selectOption('US');
  await page.locator('cartkeep-destination-picker button[type=submit]').click();
  await page.waitForFunction(() => /To United States/.test(document.querySelector('#product cartkeep-cost-preview').shadowRoot.textContent));
  assert.match(await shadowText(page, '#product cartkeep-cost-preview'), /Shipping £19\.99/);
  await page.reload();
  await ready(page);
  await page.waitForFunction(() => document.querySelector('#product cartkeep-cost-preview').shadowRoot.textContent !== '');
  assert.match(await shadowText(page, '#product cartkeep-cost-preview'), /^To United States/);
  assert.equal(await page.$eval('cartkeep-destination-picker', (el) => el.shadowRoot.querySelector('select').value), 'US');
  // Not shippable is said in words, never as a zero.
  await page.locator('cartkeep-destination-picker select').selectOption('BR');
  await page.locator('cartkeep-destination-picker button[type=submit]').click();
  await page.waitForFunction(() => /deliver to Brazil/.test(document.querySelector('#product cartkeep-cost-preview').shadowRoot.textContent));
  assert.deepEqual(problems, []);
  await context.close();
});

test('the destination picker refuses a postcode that is not one, says so, and keeps what was typed', async () => {
  const { context, page, problems } = await openPage(browser, `${demo.origin}/quote-e2e/en-GB.html`);
  await ready(page);
  const picker = 'cartkeep-destination-picker';
  await page.locator(`${picker} select`).selectOption('GB');
  await page.locator(`${picker} input[name=postcode]`).fill('ZZZ');
  await page.locator(`${picker} button[type=submit]`).click();
  await page.waitForFunction(() => document.querySelector('cartkeep-destination-picker').shadowRoot.querySelector('[part=error]').textContent !== '');
  const state = await page.$eval(picker, (el) => {
    const input = el.shadowRoot.querySelector('input[name=postcode]');
    const error = el.shadowRoot.querySelector('[part=error]');
    return { error: error.textContent, role: error.getAttribute('role'), invalid: input.getAttribute('aria-invalid'),
      describedBy: input.getAttribute('aria-describedby') === error.id, value: input.value };
  });
  assert.deepEqual(state, { error: "That postcode doesn't look right for United Kingdom. Please check it.", role: 'alert', invalid: 'true', describedBy: true, value: 'ZZZ' });
  // The quote never became "To United Kingdom (ZZZ)".
  assert.equal(await page.evaluate(() => CartKeep.ready.then((store) => store.quote.destination().postcode)), '');
  mkdirSync(new URL('../../../build/screenshots/', import.meta.url), { recursive: true });
  await page.screenshot({ path: new URL('../../../build/screenshots/postcode-invalid.png', import.meta.url).pathname });
  // A real one is taken.
  await page.locator(`${picker} input[name=postcode]`).fill('IV2 3AB');
  await page.locator(`${picker} button[type=submit]`).click();
  await page.waitForFunction(() => document.querySelector('cartkeep-destination-picker').shadowRoot.querySelector('[part=error]').textContent === '');
  assert.equal(await page.evaluate(() => CartKeep.ready.then((store) => store.quote.destination().postcode)), 'IV2 3AB');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Arabic: right to left, Arabic strings and Intl amounts; untrusted titles stay text', async () => {
  const { context, page, problems } = await openPage(browser, `${demo.origin}/quote-e2e/ar-AE.html`);
  await ready(page);
  assert.equal(await page.$eval('#product cartkeep-cost-preview', (el) => el.dir), 'rtl');
  const preview = await shadowText(page, '#product cartkeep-cost-preview');
  assert.match(preview, /^إلى /);
  assert.match(preview, /الإجمالي/);
  const expected = await page.evaluate(() => new Intl.NumberFormat('ar-AE', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format('23.94').replace(/\s+/g, ' '));
  assert.ok(preview.includes(expected), `${preview} includes ${expected}`);
  await page.evaluate(() => CartKeep.ready.then(async (store) => { await store.cart.add('evil', 1); await store.quote.setDestination({ country: 'US' }); }));
  await page.waitForFunction(() => /لا يمكن توصيل/.test(document.querySelector('#cart cartkeep-cost-preview').shadowRoot.textContent));
  assert.match(await shadowText(page, '#cart cartkeep-cost-preview'), /<img src=x onerror="window.__xss=1">Mug/);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.$eval('#cart cartkeep-cost-preview', (el) => el.shadowRoot.querySelectorAll('img').length), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
