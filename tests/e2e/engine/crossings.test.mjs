// One add-to-cart click on the demo product page, counted in crossings into the wasm core: every bound
// function of the module is wrapped in the page, the button is clicked, and the calls until the page is quiet
// (widgets updated, the cart saved) are counted by name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useDemoBrowser } from '../helpers/browser.mjs';

const shared = useDemoBrowser();

// Crossings one click makes today; the names printed say which feature each one serves.
const MAX_CROSSINGS_PER_ADD = 12;

test('one add-to-cart click on the product page crosses into the core a bounded number of times', { timeout: 60000 }, async () => {
  const { context, page, problems } = await openPage(shared.browser, `${shared.demo.origin}/demo/product.html?id=85123A`);
  try {
    await page.waitForFunction(() => window.CartKeep && document.querySelector('#add-to-cart:not([disabled])'));
    await page.evaluate(async () => {
      const instance = await window.CartKeep.ready;
      const module = instance.session.module;
      window.__crossings = [];
      window.__counting = false;
      for (const name of Object.keys(module)) {
        const fn = module[name];
        if (typeof fn !== 'function' || name === 'Engine' || !/^[a-z]/.test(name)) continue;
        module[name] = function counted(...args) {
          if (window.__counting) window.__crossings.push(name);
          return fn.apply(this, args);
        };
      }
    });
    await page.waitForTimeout(500); // start-up work (suggestions, the saved cart) is not the click's
    await page.locator('#add-to-cart').hover();
    await page.waitForTimeout(200);
    await page.evaluate(() => { window.__counting = true; });
    await page.locator('#add-to-cart').click();
    await page.waitForFunction(() => document.querySelector('cartkeep-cart-count')?.shadowRoot?.textContent === '1');
    await page.waitForTimeout(500); // the save and any widget update after the click
    const names = await page.evaluate(() => { window.__counting = false; return window.__crossings; });
    const byName = {};
    for (const name of names) byName[name] = (byName[name] || 0) + 1;
    console.log(`crossings per add-to-cart click: ${names.length} ${JSON.stringify(byName)}`);
    assert.equal(names.filter((n) => n === 'cartAdd').length, 1);
    assert.ok(names.length <= MAX_CROSSINGS_PER_ADD, `${names.length} crossings: ${names.join(', ')}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
