// The cart widgets show their last state from the first frame (js/platform/last-view.js),
// keep it read-only when the engine cannot start, and rebuild a tampered record without running anything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useDemoBrowser } from '../helpers/browser.mjs';

const shared = useDemoBrowser();

const widgetState = (page) => page.evaluate(() => {
  const count = document.querySelector('cartkeep-cart-count');
  const cart = document.querySelector('cartkeep-cart');
  return {
    count: count?.shadowRoot?.textContent.trim(),
    countLastView: count?.hasAttribute('data-last-view'),
    cartText: cart?.shadowRoot?.textContent || '',
    cartLastView: cart?.hasAttribute('data-last-view'),
    enabledControls: cart ? [...cart.shadowRoot.querySelectorAll('button, input')].filter((c) => !c.disabled).length : -1,
    links: cart ? cart.shadowRoot.querySelectorAll('a').length : -1,
  };
});

test('a page shows its last cart at once on the next load, and read-only when the engine cannot start', { timeout: 60000 }, async () => {
  const { page, context } = await openPage(shared.browser);
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${shared.demo.origin}/demo/cart.html`);
  const title = await page.evaluate(async () => {
    const instance = await CartKeep.ready;
    const product = instance.catalog.products().find((p) => p.stock === null || p.stock === undefined || p.stock > 2);
    await instance.cart.add(product.id, 2);
    return product.title;
  });
  await page.waitForFunction(() => document.querySelector('cartkeep-cart-count')?.shadowRoot?.textContent.trim() === '2');
  // The engine's worker is slow to arrive on the next page: the widgets show the last view meanwhile.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/dist/cartkeep.worker.js', async (route) => { await held; await route.fulfill({ status: 404, body: '' }); });
  await page.goto(`${shared.demo.origin}/demo/cart.html`, { waitUntil: 'domcontentloaded' });
  const early = await widgetState(page);
  assert.equal(early.count, '2');
  assert.equal(early.countLastView, true);
  assert.equal(early.cartLastView, true);
  assert.ok(early.cartText.includes(title), early.cartText);
  assert.equal(early.enabledControls, 0, 'the last view is inert');
  assert.equal(early.links, 0);
  // It never starts: CartKeep.ready rejects, and the last cart stays on screen, read-only.
  release();
  const code = await page.evaluate(() => CartKeep.ready.then(() => 'resolved', (error) => error.code));
  assert.equal(code, 'worker-failed');
  await page.waitForTimeout(100);
  const after = await widgetState(page);
  assert.equal(after.count, '2');
  assert.ok(after.cartText.includes(title));
  assert.equal(after.enabledControls, 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a tampered last view is rebuilt from its allowlist: no script, no handler, no link runs', { timeout: 60000 }, async () => {
  const { page, context } = await openPage(shared.browser);
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('dialog', (dialog) => { problems.push(`dialog: ${dialog.message()}`); dialog.dismiss(); });
  await page.goto(`${shared.demo.origin}/demo/cart.html`);
  await page.evaluate(() => {
    sessionStorage.setItem('cartkeep:last-view', JSON.stringify({
      '/demo/cart.html|cartkeep-cart|0': [
        ['script', {}, 'window.__ran = 1'],
        ['img', { src: 'javascript:window.__ran=2', onerror: 'window.__ran=3', class: 'x' }],
        ['img', { src: 'data:image/svg+xml,<svg onload="window.__ran=4"/>' }],
        ['a', { href: 'javascript:window.__ran=5', onclick: 'window.__ran=6' }, 'click me'],
        ['div', { style: 'position:fixed', 'data-x': '<b>bold</b>' }, '<img src=x onerror="window.__ran=7">'],
        ['iframe', { src: '/' }],
        'plain text',
      ],
      'cartkeep-cart-count|0': { not: 'a tree' },
    }));
  });
  await page.route('**/dist/cartkeep.worker.js', (route) => route.fulfill({ status: 404, body: '' }));
  await page.addInitScript(() => { window.__ran = 0; });
  await page.goto(`${shared.demo.origin}/demo/cart.html`);
  await page.evaluate(() => CartKeep.ready.catch(() => {}));
  await page.waitForTimeout(200);
  const view = await page.evaluate(() => {
    const root = document.querySelector('cartkeep-cart').shadowRoot;
    const all = [...root.querySelectorAll('*')];
    return {
      ran: window.__ran,
      tags: all.map((node) => node.localName),
      handlers: all.filter((node) => [...node.attributes].some((a) => a.name.startsWith('on') || a.name === 'style' || a.name === 'href')).length,
      sources: all.filter((node) => node.hasAttribute('src')).map((node) => node.getAttribute('src')),
      text: root.textContent,
    };
  });
  assert.equal(view.ran, 0);
  assert.ok(!view.tags.includes('script') && !view.tags.includes('iframe') && !view.tags.includes('a'), view.tags.join());
  assert.equal(view.handlers, 0);
  assert.deepEqual(view.sources, []);
  assert.ok(view.text.includes('<img src=x onerror="window.__ran=7">'), 'markup in text stays text');
  assert.ok(view.text.includes('click me') && view.text.includes('plain text'));
  assert.deepEqual(problems, []);
  await context.close();
});
