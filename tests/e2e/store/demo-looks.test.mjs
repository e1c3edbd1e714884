// What the demo shop looks like with CartKeep in Chromium: no layout shift while widgets load, the total before
// the buy button on a phone, widgets in the shop's theme (font, accent, no wrapped buttons), and the language
// switch (Arabic digits, right to left, the share link's start in view). Screenshots go to build/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { test } from 'node:test';

import { openPage, useDemoBrowser, waitForAnswer } from '../helpers/browser.mjs';

// Served with gzip, as the Lighthouse bench and a store's server or CDN send it: the first visits below load over a
// slowed network.
const shared = useDemoBrowser(undefined, { compress: true });
const shots = new URL('../../../build/screenshots/', import.meta.url);
mkdirSync(shots, { recursive: true });

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

// Sums every layout shift from the first paint on (the observer is installed before any page script).
const recordShifts = () => {
  window.__shift = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
  }).observe({ type: 'layout-shift', buffered: true });
};

const ready = (page) => page.waitForFunction(() => document.documentElement.classList.contains('cartkeep-ready'));
const previewReady = (page, selector) => page.waitForFunction((s) => document.querySelector(s)?.shadowRoot?.querySelector('[data-total]'), selector);

async function shopWithCart(viewport) {
  const opened = await openPage(shared.browser, null, { context: { viewport } });
  await opened.context.addInitScript(recordShifts);
  await opened.page.goto(`${shared.demo.origin}/demo/product.html?id=85123A`);
  await ready(opened.page);
  await opened.page.evaluate(() => CartKeep.ready.then(async (store) => { await store.cart.add('85123A', 3); await store.cart.add('22423', 1); }));
  return opened;
}

// Settled: CartKeep ready, every quote widget rendered, then a moment for late layout.
async function settledShift(page, path, selector) {
  await page.goto(`${shared.demo.origin}/demo/${path}`);
  await ready(page);
  if (selector) await previewReady(page, selector);
  await page.waitForTimeout(600);
  return page.evaluate(() => window.__shift);
}

test('layout shift stays at most 0.01 on the cart, product and home pages of a visit while CartKeep loads', async () => {
  const { context, page, problems } = await shopWithCart(DESKTOP);
  const shifts = {};
  shifts.cartFirst = await settledShift(page, 'cart.html', '.cart-aside cartkeep-cost-preview');
  shifts.product = await settledShift(page, 'product.html?id=85123A', 'cartkeep-cost-preview');
  shifts.home = await settledShift(page, 'index.html');
  shifts.cartAgain = await settledShift(page, 'cart.html', '.cart-aside cartkeep-cost-preview');
  console.log('layout shift', JSON.stringify(shifts));
  for (const [name, value] of Object.entries(shifts)) assert.ok(value <= 0.01, `${name}: layout shift ${value.toFixed(3)}`);
  assert.deepEqual(problems, []);
  await context.close();
});

// A shopper's first visit as Lighthouse loads it: a fresh profile (no remembered sizes or views), a phone (and for
// the cart, a laptop), the CPU slowed 4x and a slow network; the cart and checkout pages with a cart saved from an earlier tab (a resume link),
// the cart page once more with nothing saved (the empty cart), and a resume link opened there. The demo's own
// shift is 0 on each (the Lighthouse bench measures it with CartKeep's files blocked), so CartKeep may shift the
// page at most 0.01 in all.
const THROTTLED_PHONE = { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true };
const FIRST_VISIT_PAGES = {
  home: ['index.html', false], product: ['product.html?id=85123A', false], cart: ['cart.html', true],
  checkout: ['checkout.html', true], emptyCart: ['cart.html', false],
  // a shared cart link opened on another device: the banner says what arrived
  resumeLink: ['cart.html?cartkeep=85123A:1,22423:2', false],
  // the cart on a laptop, where the aside (delivery, total, share) sits beside the cart
  cartDesktop: ['cart.html', true, { viewport: DESKTOP }],
  // and an empty cart there: the aside keeps only the shop's promise
  emptyCartDesktop: ['cart.html', false, { viewport: DESKTOP }],
};

async function firstVisitShift(path, { savedCart, device = THROTTLED_PHONE }) {
  const context = await shared.browser.newContext(device);
  if (savedCart) {
    const tab = await context.newPage();
    await tab.goto(`${shared.demo.origin}/demo/cart.html?cartkeep=85123A:1,22423:2`);
    await waitForAnswer(tab, () => CartKeep.ready.then((store) => store.cart.count() >= 3));
    await tab.close();
  }
  await context.addInitScript(recordShifts);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
  await page.goto(`${shared.demo.origin}/demo/${path}`, { timeout: 60000 });
  await page.waitForFunction(() => document.documentElement.matches('.cartkeep-ready, .cartkeep-unavailable'), null, { timeout: 60000 });
  await page.waitForTimeout(2500); // widgets that fill after ready (quotes, suggestions near the screen)
  const shift = await page.evaluate(() => window.__shift);
  await context.close();
  return shift;
}

test('CartKeep shifts a first visit on a throttled phone or laptop at most 0.01 (home, product, cart, checkout, empty cart, resume link)', async () => {
  // Two pages load side by side: each mostly waits on its slowed network.
  const queue = Object.entries(FIRST_VISIT_PAGES);
  const shifts = {};
  await Promise.all([0, 1].map(async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [name, [path, savedCart, device]] = next;
      shifts[name] = await firstVisitShift(path, { savedCart, device });
    }
  }));
  console.log('first-visit layout shift', JSON.stringify(shifts));
  for (const [name, shift] of Object.entries(shifts)) assert.ok(shift <= 0.01, `${name}: layout shift ${shift.toFixed(3)}`);
});

test('on a phone the total is on screen before the Checkout and Place order buttons', async () => {
  const { context, page, problems } = await shopWithCart(PHONE);
  await page.goto(`${shared.demo.origin}/demo/cart.html`);
  await previewReady(page, '.total-bar');
  const cart = await page.evaluate(() => {
    const bar = document.querySelector('.total-bar').getBoundingClientRect();
    const checkout = document.querySelector('cartkeep-cart').shadowRoot.querySelector('.checkout').getBoundingClientRect();
    return { barTop: bar.top, barBottom: bar.bottom, buttonTop: checkout.top, text: document.querySelector('.total-bar').shadowRoot.textContent };
  });
  assert.ok(cart.barBottom <= PHONE.height && cart.barTop >= 0, `total bar on the first screen: ${JSON.stringify(cart)}`);
  assert.ok(cart.barBottom <= cart.buttonTop, `total above Checkout: ${JSON.stringify(cart)}`);
  assert.match(cart.text, /Total\s*£\d+\.\d\d/);
  await page.screenshot({ path: new URL('cart-390-en.png', shots).pathname, fullPage: true });
  // The bar opens on the breakdown.
  await page.click('.total-bar');
  await page.waitForFunction(() => document.querySelector('.total-bar').shadowRoot.querySelector('details[open] dl'));

  await page.goto(`${shared.demo.origin}/demo/checkout.html`);
  await previewReady(page, '.total-bar');
  const checkout = await page.evaluate(() => ({
    bar: document.querySelector('.total-bar').getBoundingClientRect().bottom,
    button: document.querySelector('#place-order').getBoundingClientRect().top,
  }));
  assert.ok(checkout.bar <= PHONE.height && checkout.bar <= checkout.button, JSON.stringify(checkout));
  await page.screenshot({ path: new URL('checkout-390-en.png', shots).pathname, fullPage: true });
  // On a wide page the summary column is beside the form: no bar.
  await page.setViewportSize(DESKTOP);
  assert.equal(await page.$eval('.total-bar', (el) => getComputedStyle(el).display), 'none');
  assert.deepEqual(problems, []);
  await context.close();
});

// The two viewports are independent visits, each in its own context: they load side by side.
test('widgets take the shop\'s theme: inherited font, the accent on radios and buttons, no wrapped buttons', async () => {
  await Promise.all([DESKTOP, PHONE].map(async (viewport) => {
    const { context, page, problems } = await shopWithCart(viewport);
    await page.goto(`${shared.demo.origin}/demo/cart.html`);
    await previewReady(page, '.cart-aside cartkeep-cost-preview');
    await page.waitForFunction(() => document.querySelector('cartkeep-share-cart').shadowRoot.querySelector('[part=whatsapp]'));
    const looks = await page.evaluate(() => {
      const accent = getComputedStyle(document.body).getPropertyValue('--accent').trim();
      const probe = document.createElement('span');
      probe.style.color = accent;
      document.body.append(probe);
      const accentRgb = getComputedStyle(probe).color;
      probe.remove();
      const preview = document.querySelector('.cart-aside cartkeep-cost-preview').shadowRoot;
      const share = document.querySelector('cartkeep-share-cart').shadowRoot;
      const picker = document.querySelector('cartkeep-destination-picker').shadowRoot;
      const oneLine = (node) => {
        const style = getComputedStyle(node);
        const range = document.createRange();
        range.selectNodeContents(node);
        return { lines: range.getClientRects().length, height: node.getBoundingClientRect().height, fontSize: parseFloat(style.fontSize) };
      };
      const radio = preview.querySelector('input[type=radio]');
      return {
        accentRgb,
        bodyFont: getComputedStyle(document.body).fontFamily,
        radioAccent: radio && getComputedStyle(radio).accentColor,
        fonts: [preview.querySelector('dt'), picker.querySelector('select'), preview.querySelector('form button'), share.querySelector('[part=whatsapp]')]
          .map((node) => node && getComputedStyle(node).fontFamily),
        apply: oneLine(preview.querySelector('form button[type=submit]')),
        whatsapp: oneLine(share.querySelector('[part=whatsapp]')),
        applyTop: preview.querySelector('form button[type=submit]').getBoundingClientRect().top,
        couponTop: preview.querySelector('form input').getBoundingClientRect().top,
      };
    });
    assert.ok(looks.radioAccent, 'the breakdown lists shipping methods with radios');
    assert.equal(looks.radioAccent, looks.accentRgb, 'radios in the shop\'s accent');
    for (const font of looks.fonts) assert.equal(font, looks.bodyFont, 'widget text in the page font');
    for (const name of ['apply', 'whatsapp']) {
      assert.equal(looks[name].lines, 1, `${name} on one line: ${JSON.stringify(looks[name])}`);
      assert.ok(looks[name].height < looks[name].fontSize * 3.2, `${name} one line tall: ${JSON.stringify(looks[name])}`);
    }
    assert.equal(looks.applyTop, looks.couponTop, 'Apply beside the code field');
    await page.screenshot({ path: new URL(`cart-${viewport.width}-en-theme.png`, shots).pathname, fullPage: true });
    await page.goto(`${shared.demo.origin}/demo/checkout.html`);
    await previewReady(page, '.order-summary cartkeep-cost-preview');
    await page.screenshot({ path: new URL(`checkout-${viewport.width}-en.png`, shots).pathname, fullPage: true });
    await page.goto(`${shared.demo.origin}/demo/product.html?id=85123A`);
    await previewReady(page, 'cartkeep-cost-preview');
    await page.screenshot({ path: new URL(`product-${viewport.width}-en.png`, shots).pathname, fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  }));
});

test('the language switch: Arabic texts, digits and right to left, kept from page to page', async () => {
  await Promise.all([DESKTOP, PHONE].map(async (viewport) => {
    const { context, page, problems } = await shopWithCart(viewport);
    await page.click('.lang-switch button[data-lang="ar"]');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl' && document.documentElement.lang === 'ar');
    await previewReady(page, 'cartkeep-cost-preview');
    const product = await page.$eval('cartkeep-cost-preview', (el) => el.shadowRoot.textContent);
    assert.match(product, /[٠-٩]/, 'Arabic-Indic digits');
    assert.doesNotMatch(product, /\d/, 'no Latin digits in amounts');
    assert.match(product, /شاملة ضريبة القيمة المضافة/, 'the merchant\'s Arabic text for "VAT included"');
    await page.screenshot({ path: new URL(`product-${viewport.width}-ar.png`, shots).pathname, fullPage: true });

    await page.goto(`${shared.demo.origin}/demo/cart.html`);
    await previewReady(page, '.cart-aside cartkeep-cost-preview');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl', 'the choice is kept on the next page');
    await page.waitForFunction(() => document.querySelector('cartkeep-share-cart').shadowRoot.querySelector('input[part=link]'));
    const link = await page.$eval('cartkeep-share-cart', (el) => {
      const input = el.shadowRoot.querySelector('input[part=link]');
      return { direction: getComputedStyle(input).direction, scrollLeft: input.scrollLeft, widget: getComputedStyle(el).direction };
    });
    assert.equal(link.widget, 'rtl');
    assert.equal(link.direction, 'ltr', 'the link reads from its start');
    assert.equal(link.scrollLeft, 0);
    await page.screenshot({ path: new URL(`cart-${viewport.width}-ar.png`, shots).pathname, fullPage: true });
    await page.goto(`${shared.demo.origin}/demo/checkout.html`);
    await previewReady(page, '.order-summary cartkeep-cost-preview');
    await page.screenshot({ path: new URL(`checkout-${viewport.width}-ar.png`, shots).pathname, fullPage: true });
    // Back to English.
    await page.click('.lang-switch button[data-lang="en"]');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr' && document.documentElement.lang === 'en-GB');
    assert.deepEqual(problems, []);
    await context.close();
  }));
});

test('the Arabic demo names the delivery methods in the merchant\'s Arabic texts', async () => {
  const { context, page, problems } = await shopWithCart(DESKTOP);
  const methods = 'cartkeep-cost-preview[view="methods"]';
  const methodsText = () => page.$eval(methods, (el) => el.shadowRoot.textContent);
  const shows = (text) => page.waitForFunction(([s, t]) => document.querySelector(s)?.shadowRoot?.textContent.includes(t), [methods, text]);
  try {
    await page.click('.lang-switch button[data-lang="ar"]');
    await page.waitForFunction(() => document.documentElement.lang === 'ar');
    await page.goto(`${shared.demo.origin}/demo/checkout.html`);
    await shows('التوصيل العادي');
    const arabic = await methodsText();
    assert.match(arabic, /التوصيل السريع \(يوم العمل التالي\)/, 'the express method in Arabic');
    assert.doesNotMatch(arabic, /Standard delivery|Express/, 'no English method name left');
    const quote = await page.evaluate(() => CartKeep.ready.then((store) => store.quote()));
    assert.equal(quote.zone.name, 'بريطانيا العظمى (البر الرئيسي)', 'the zone name the quote carries');
    await page.screenshot({ path: new URL('checkout-methods-ar.png', shots).pathname, fullPage: true });
    // The same page in English takes the map's English entries.
    await page.click('.lang-switch button[data-lang="en"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en-GB');
    await shows('Standard delivery');
    assert.match(await methodsText(), /Express \(next working day\)/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
