// One shopper click, counted in crossings into the engine: the session's calls are wrapped in the page, the
// control is clicked, and the calls until the page is quiet (widgets updated, the cart saved)
// are counted by name. The pointer itself crosses too (behaviourMove/Down, eventsActivity, behaviourDeadline).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useDemoBrowser } from '../helpers/browser.mjs';

const shared = useDemoBrowser();

// The pointer's own observations (the sensors feed the core as the pointer moves and presses) and the timer
// they move; everything else is the click's: the action, and what the widgets ask for themselves.
// eventsPersist follows a change of the event stream the pointer made (its activity): it keeps the page's closing
// plan current. The action's own change of the stream brings what to store with the action's answer.
const SENSOR_CALLS = new Set(['behaviourMove', 'behaviourDown', 'behaviourOut', 'behaviourDeadline', 'behaviourKey',
  'behaviourScroll', 'eventsActivity', 'eventsPersist']);
// The pointer's calls for one press: its observations, the timer they move, and one eventsPersist for the
// activity it recorded.
const POINTER_CALLS = { behaviourDown: 1, eventsActivity: 1, behaviourDeadline: 1, eventsPersist: 1 };

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

// Besides the action, at most the pointer's own calls, each at most as often as one press makes it (a move
// batch may or may not fall inside the counted window).
function assertPointerOnly(byName) {
  for (const [name, count] of Object.entries(byName)) {
    if (name === 'cartAction') continue;
    if (name === 'behaviourMove') continue;
    assert.ok(count <= (POINTER_CALLS[name] ?? 0), `${name} ×${count}: not a call of the pointer's own`);
  }
}

test('one add-to-cart click on the product page is one action call into the core', { timeout: 60000 }, async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.demo.origin}/demo/product.html?id=85123A`);
  try {
    await page.waitForFunction(() => window.CartKeep && document.querySelector('#add-to-cart:not([disabled])'));
    const { names, byName, action } = await countClick(page, () => page.locator('#add-to-cart').click(),
      () => document.querySelector('cartkeep-cart-count')?.shadowRoot?.textContent === '1');
    console.log(`crossings per add-to-cart click (product page): ${action.length} for the click, ${names.length} with the pointer ${JSON.stringify(byName)}`);
    // The preview's quote, the suggestions and everything the core's features made of the change ride in the
    // action's answer: the widgets ask nothing.
    assert.deepEqual(action, ['cartAction']);
    assertPointerOnly(byName);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('one "+" click in the cart is one action call, and every widget renders from its answer', { timeout: 60000 }, async () => {
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
    // The shipping bar and the cost preview read the quote the action brought, the share widget its new link and
    // the suggestions their placements (standing views): one call.
    assert.deepEqual(action, ['cartAction']);
    assertPointerOnly(byName);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
