// One shopper click, counted in crossings into the engine: the session's calls are wrapped in the page, the
// control is clicked, and the calls until the page is quiet (widgets updated, the cart saved)
// are counted by name. The pointer itself crosses too (behaviourMove/Down, eventsActivity, behaviourDeadline).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useDemoBrowser } from '../helpers/browser.mjs';

const shared = useDemoBrowser();

// The pointer's own observations (the sensors feed the core as the pointer moves and presses) and the timer
// they move; everything else is the click's: the action, and what the widgets ask for themselves.
// eventsPersist follows any change of the event stream (the pointer's activity too): it keeps the page's closing
// plan current.
const SENSOR_CALLS = new Set(['behaviourMove', 'behaviourDown', 'behaviourOut', 'behaviourDeadline', 'behaviourKey',
  'behaviourScroll', 'eventsActivity', 'eventsPersist']);
// Calls that only carried one core feature's output to another through the page: the core passes its own
// changes now (cartAction), so a click makes none of them.
const CARRIED_BACK = ['cartAdd', 'cartSetQuantity', 'behaviourCart', 'behaviourDrain', 'eventsState', 'suggestTrack',
  'suggestProfile', 'persistSave', 'product'];

async function countClick(page, click, settled) {
  await page.evaluate(async () => {
    // Every call into the engine goes through its session (to the worker, or in this thread).
    const session = (await window.CartKeep.ready).session;
    window.__crossings = [];
    window.__counting = false;
    for (const kind of ['request', 'rawRequest']) {
      const send = session[kind];
      session[kind] = function counted(name, ...args) {
        if (window.__counting) window.__crossings.push(name);
        return send.call(this, name, ...args);
      };
    }
  });
  await page.waitForTimeout(500); // start-up work (suggestions, the saved cart) is not the click's
  await page.evaluate(() => { window.__counting = true; });
  await click();
  await page.waitForFunction(settled);
  await page.waitForTimeout(500); // the save and any widget update after the click
  const names = await page.evaluate(() => { window.__counting = false; return window.__crossings; });
  const byName = {};
  for (const name of names) byName[name] = (byName[name] || 0) + 1;
  return { names, byName, action: names.filter((name) => !SENSOR_CALLS.has(name)) };
}

test('one add-to-cart click on the product page is one action call into the core', { timeout: 60000 }, async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.demo.origin}/demo/product.html?id=85123A`);
  try {
    await page.waitForFunction(() => window.CartKeep && document.querySelector('#add-to-cart:not([disabled])'));
    const { names, byName, action } = await countClick(page, () => page.locator('#add-to-cart').click(),
      () => document.querySelector('cartkeep-cart-count')?.shadowRoot?.textContent === '1');
    console.log(`crossings per add-to-cart click (product page): ${action.length} for the click, ${names.length} with the pointer ${JSON.stringify(byName)}`);
    assert.equal(byName.cartAction, 1);
    assert.equal(action[0], 'cartAction', "the action is the click's first call");
    assert.deepEqual(action.filter((name) => CARRIED_BACK.includes(name)), []);
    assert.ok((byName.quote ?? 0) <= 1, 'at most the product preview asks its own question (one product, not the cart)');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('one "+" click in the cart is one action, and the widgets that show the quote read the one it brought', { timeout: 60000 }, async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.demo.origin}/demo/product.html?id=85123A`);
  try {
    await page.evaluate(async () => { await (await window.CartKeep.ready).cart.add('85123A', 2); });
    await page.goto(`${shared.demo.origin}/demo/cart.html`);
    // The engine's cart, not the last view the page shows until it answers (inert).
    await page.waitForFunction(() => document.querySelector('cartkeep-cart:not([data-last-view])')?.shadowRoot?.querySelector('button[aria-label^="Increase"]'));
    const increase = page.locator('cartkeep-cart button[aria-label^="Increase"]').first();
    const { names, byName, action } = await countClick(page, () => increase.click(),
      () => document.querySelector('cartkeep-cart-count')?.shadowRoot?.textContent === '3');
    console.log(`crossings per "+" click (cart page): ${action.length} for the click, ${names.length} with the pointer ${JSON.stringify(byName)}`);
    assert.equal(byName.cartAction, 1);
    assert.equal(byName.quote, undefined, 'the shipping bar, the cost preview and the suggestions read the quote the action brought');
    assert.equal(action[0], 'cartAction', "the action is the click's first call");
    assert.deepEqual(action.filter((name) => CARRIED_BACK.includes(name)), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
