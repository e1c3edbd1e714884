// The saved-cart widgets on the demo shop, under its strict CSP: the share box on the cart page, a link that
// brings the cart to another device, the welcome-back banner on a later visit resuming at the checkout step.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { launchBrowser, openPage, startDemo } from '../helpers/browser.mjs';
import { cartLines, laterClock, ready, recordEvents, shadowText } from '../helpers/persist-shop.mjs';

let browser;
let demo;

before(async () => {
  browser = await launchBrowser();
  demo = await startDemo();
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

async function visit(path, { context, init } = {}) {
  const opened = context ? { context, page: await context.newPage(), problems: [] } : await openPage(browser);
  if (context) opened.page.on('pageerror', (error) => opened.problems.push(`pageerror: ${error.message}`));
  await opened.page.addInitScript(recordEvents);
  if (init) await opened.page.addInitScript(init, 2);
  await opened.page.goto(`${demo.origin}/demo/${path}`);
  await ready(opened.page);
  return opened;
}

test('demo: share the cart from the cart page, open the link on another device, welcome back later at checkout', async () => {
  const shopper = await visit('cart.html');
  const other = await openPage(browser);
  try {
    const [first, second] = await shopper.page.evaluate(() => CartKeep.ready.then(async (store) => {
      const ids = store.catalog.products().filter((p) => p.stock === null || p.stock === undefined || p.stock > 3).slice(0, 2).map((p) => p.id);
      await store.cart.add(ids[0], 2);
      await store.cart.add(ids[1], 1);
      return ids;
    }));
    const lines = [[first, 2], [second, 1]];
    // The share box on the cart page offers a link back to this step.
    await shopper.page.waitForFunction(() => document.querySelector('cartkeep-share-cart').shadowRoot.querySelector('[part=link]'));
    const link = await shopper.page.locator('cartkeep-share-cart >> [part=link]').inputValue();
    assert.match(link, /\/demo\/cart\.html\?cartkeep=1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/);
    // Then on to checkout: that is the saved step now.
    const checkout = await visit('checkout.html', { context: shopper.context });
    assert.match(await shopper.page.locator('cartkeep-share-cart >> [part=whatsapp]').getAttribute('href'), /^https:\/\/wa\.me\/\?text=My%20cart%3A%202%20%C3%97%20/);
    assert.equal(await shopper.page.$eval('cartkeep-save-status', (node) => node.hidden), true, 'saved: no warning');
    assert.equal(await checkout.page.$eval('cartkeep-resume-banner', (node) => node.hidden), true, 'same visit: no greeting');

    // Another device opens the link: the cart page with the same cart.
    await other.page.addInitScript(recordEvents);
    await other.page.goto(link);
    await ready(other.page);
    assert.equal(new URL(other.page.url()).pathname, '/demo/cart.html');
    assert.deepEqual(await cartLines(other.page), lines);
    await other.page.waitForFunction(() => !document.querySelector('cartkeep-resume-banner').hidden);
    // The banner says what arrived (count and total) and offers no Resume: the shopper is on the cart already.
    const subtotal = await other.page.evaluate(() => CartKeep.ready.then((store) => store.formatMoney(store.cart.subtotal())));
    assert.equal(await shadowText(other.page, 'cartkeep-resume-banner >> [part=message]'), `The items from your link are in your cart: 3 items, ${subtotal}.`);
    assert.equal(await other.page.locator('cartkeep-resume-banner >> [part=resume]').count(), 0);
    assert.equal(await other.page.locator('cartkeep-resume-banner >> [part=dismiss]').count(), 1);
    mkdirSync(new URL('../../../build/screenshots/', import.meta.url), { recursive: true });
    await other.page.screenshot({ path: new URL('../../../build/screenshots/resume-link-banner-cart.png', import.meta.url).pathname });

    // Two hours later on the home page: welcome back, and Resume goes to checkout.
    const later = await visit('index.html', { context: shopper.context, init: laterClock });
    await later.page.waitForFunction(() => !document.querySelector('cartkeep-resume-banner').hidden);
    assert.match(await shadowText(later.page, 'cartkeep-resume-banner >> [part=message]'), /^Welcome back: your cart, 3 items, £[0-9.,]+, is saved\.$/);
    await Promise.all([later.page.waitForURL(/\/demo\/checkout\.html$/), later.page.locator('cartkeep-resume-banner >> [part=resume]').click()]);
    await ready(later.page);
    assert.deepEqual(await cartLines(later.page), lines);
    assert.deepEqual([...shopper.problems, ...checkout.problems, ...other.problems, ...later.problems], []);
  } finally {
    await shopper.context.close();
    await other.context.close();
  }
});
