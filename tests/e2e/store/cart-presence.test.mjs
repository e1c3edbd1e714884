// <html data-cartkeep-cart>: "empty" or "filled" from the first frame when the device can tell (no saved cart and
// no resume link, or the hint kept beside a saved cart), then following the engine's cart; forget() leaves no hint.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useDemoBrowser, waitForAnswer } from '../helpers/browser.mjs';

const shared = useDemoBrowser();

// The attribute as the deferred page script left it before the document finished parsing: long before the engine
// (which starts after the first paint) can answer.
const recordEarly = () => {
  document.addEventListener('DOMContentLoaded', () => {
    window.early = { attribute: document.documentElement.getAttribute('data-cartkeep-cart'), engine: typeof CartKeep };
  });
};
const attribute = (page) => page.evaluate(() => document.documentElement.getAttribute('data-cartkeep-cart'));
const ready = (page) => waitForAnswer(page, () => CartKeep.ready.then(() => true));

test('a new device\'s cart page is "empty" from the first frame; a cart makes it "filled" on this page and the next', async () => {
  const { context, page, problems } = await openPage(shared.browser, null);
  await context.addInitScript(recordEarly);
  await page.goto(`${shared.demo.origin}/demo/cart.html`);
  assert.deepEqual(await page.evaluate(() => window.early), { attribute: 'empty', engine: 'object' });
  await ready(page);
  assert.equal(await attribute(page), 'empty');
  await page.evaluate(() => CartKeep.ready.then((store) => store.cart.add('85123A')));
  assert.equal(await attribute(page), 'filled');
  // Another page of the visit, and a new tab: the saved cart's hint says "filled" before the engine starts.
  for (const tab of [page, await context.newPage()]) {
    await tab.goto(`${shared.demo.origin}/demo/index.html`);
    assert.equal((await tab.evaluate(() => window.early)).attribute, 'filled');
    await ready(tab);
    assert.equal(await attribute(tab), 'filled');
  }
  // Emptied: the next page is "empty" from the first frame again.
  await page.evaluate(() => CartKeep.ready.then((store) => store.cart.clear()));
  assert.equal(await attribute(page), 'empty');
  await page.goto(`${shared.demo.origin}/demo/cart.html`);
  assert.equal((await page.evaluate(() => window.early)).attribute, 'empty');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a resume link may bring a cart: nothing is claimed before the engine, then "filled"; forget() removes the hint', async () => {
  const { context, page, problems } = await openPage(shared.browser, null);
  await context.addInitScript(recordEarly);
  await page.goto(`${shared.demo.origin}/demo/cart.html?cartkeep=85123A:1,22423:2`);
  assert.equal((await page.evaluate(() => window.early)).attribute, null);
  await waitForAnswer(page, () => CartKeep.ready.then((store) => store.cart.count() === 3));
  assert.equal(await attribute(page), 'filled');
  assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem('cartkeep:cart-presence'))), { filled: true, link: 'cartkeep' });
  await page.evaluate(() => CartKeep.ready.then((store) => store.forget()));
  assert.equal(await attribute(page), 'empty');
  assert.equal(await page.evaluate(() => localStorage.getItem('cartkeep:cart-presence')), null);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a damaged hint claims nothing before the engine; the engine\'s cart then sets the attribute and a sound hint', async () => {
  const { context, page, problems } = await openPage(shared.browser, null);
  await context.addInitScript(() => { if (!sessionStorage.getItem('seeded')) { sessionStorage.setItem('seeded', '1'); localStorage.setItem('cartkeep:cart-presence', '{not json'); } });
  await context.addInitScript(recordEarly);
  await page.goto(`${shared.demo.origin}/demo/cart.html`);
  assert.equal((await page.evaluate(() => window.early)).attribute, null);
  await ready(page);
  assert.equal(await attribute(page), 'empty');
  assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem('cartkeep:cart-presence'))), { filled: false, link: 'cartkeep' });
  assert.deepEqual(problems, []);
  await context.close();
});
