// The demo shop's suggestions in real Chromium, under the demo server's strict CSP, with the index built
// from the UCI Online Retail log (demo/data/suggest-index.bin): "bought together" on product pages,
// "complete your order" and the free-shipping gap filler in the cart, "picked for you" and "recently viewed"
// on the home page; reasons, add to cart, impression and click events; right to left; a bad index.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, startDemo, waitForAnswer } from '../helpers/browser.mjs';
import { parseIndex } from '../../../bench/suggest-reference.mjs';

const root = new URL('../../../demo/', import.meta.url);
const catalog = JSON.parse(readFileSync(new URL('data/catalog.json', root), 'utf8'));
const byId = new Map(catalog.map((p) => [p.id, p]));
const indexBytes = readFileSync(new URL('data/suggest-index.bin', root));
const storeConfig = JSON.parse(readFileSync(new URL('config/store.json', root), 'utf8'));

// The index read by the bench's reference model (bench/suggest-reference.mjs), a JS reader independent of the
// core, so what the page shows is checked against the committed file rather than against the code under test.
function readIndex(bytes) {
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), 'CKIX');
  const { catalogVersion, ids, tables, end } = parseIndex(bytes);
  assert.equal(end, bytes.length, 'the reader accounts for every byte');
  const { offsets, items } = tables[0]; // bought-together: membership is what the pages are checked against
  const bought = new Map(ids.map((id, i) => [id, [...items.subarray(offsets[i], offsets[i + 1])].map((item) => ids[item])]));
  return { catalogVersion, ids, bought };
}
const index = readIndex(indexBytes);

let browser;
let demo;
let arabicDemo; // the same shop with locale ar-AE
const badIndex = { bytes: null }; // what badDemo answers for the index
let badDemo;

before(async () => {
  browser = await launchBrowser();
  demo = await startDemo();
  arabicDemo = await startDemo({
    onRequest(url, request, response) {
      if (url.pathname !== '/demo/config/store.json') return false;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...storeConfig, locale: 'ar-AE' }));
      return true;
    },
  });
  badDemo = await startDemo({
    onRequest(url, request, response) {
      if (url.pathname !== '/demo/data/suggest-index.bin') return false;
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(badIndex.bytes);
      return true;
    },
  });
});
after(async () => {
  await browser?.close();
  await demo?.close();
  await arabicDemo?.close();
  await badDemo?.close();
});

async function visit(server, path, { viewport = { width: 1200, height: 900 } } = {}) {
  const opened = await openPage(browser, undefined, { context: { viewport } });
  await opened.page.addInitScript(() => {
    window.seen = { impressions: [], clicks: [], errors: [], ready: [] };
    document.addEventListener('cartkeep:suggestion-impression', (e) => window.seen.impressions.push(e.detail));
    document.addEventListener('cartkeep:suggestion-click', (e) => window.seen.clicks.push(e.detail));
    document.addEventListener('cartkeep:error', (e) => window.seen.errors.push(e.detail));
    document.addEventListener('cartkeep:suggestions-ready', (e) => window.seen.ready.push(e.detail));
  });
  await opened.page.goto(`${server.origin}/demo/${path}`);
  return opened;
}

// Waits for the index (or its failure) and for the widget to show suggestions from `source`.
async function shown(page, selector, source = 'index') {
  await page.waitForFunction(() => window.seen.ready.length > 0, null, { timeout: 30000 });
  await page.waitForFunction(([sel, src]) => document.querySelector(sel)?.shadowRoot?.querySelector(`section[data-source="${src}"] .item`),
    [selector, source], { timeout: 30000 });
  return widget(page, selector);
}

function widget(page, selector) {
  return page.evaluate((sel) => {
    const host = document.querySelector(sel);
    const root = host.shadowRoot;
    const items = [...root.querySelectorAll('.item')];
    return {
      hidden: host.hidden,
      dir: host.getAttribute('dir'),
      heading: root.querySelector('[part="title"]')?.textContent ?? null,
      source: root.querySelector('section')?.dataset.source ?? null,
      ids: items.map((i) => i.dataset.productId),
      titles: items.map((i) => i.querySelector('.title').textContent),
      reasons: items.map((i) => i.querySelector('.reason')?.textContent ?? ''),
      prices: items.map((i) => i.querySelector('.price').textContent),
    };
  }, selector);
}

// "£12.75" -> 1275 via the digits, no floating point.
const pence = (text) => Number(text.replace(/[^\d]/g, ''));
const gbp = (minor) => `£${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

test('the committed demo index is the demo catalog\'s, with the version store.json expects', () => {
  assert.equal(index.catalogVersion, storeConfig.suggestions.catalogVersion);
  assert.equal(storeConfig.suggestions.index, 'data/suggest-index.bin');
  assert.deepEqual([...index.ids].sort(), catalog.map((p) => p.id).sort());
  assert.ok([...index.bought.values()].every((list) => list.length > 0), 'every product has bought-together neighbours');
});

test('product page: "bought together" from the real index, with reasons; add to cart, impression and click events', async () => {
  const { page, problems, context } = await visit(demo, 'product.html?id=85123A');
  const state = await shown(page, '#bought-together');
  const anchor = byId.get('85123A');
  const neighbours = index.bought.get('85123A');
  assert.equal(state.heading, 'Frequently bought together');
  assert.equal(state.ids.length, 8);
  assert.ok(!state.ids.includes('85123A'));
  assert.ok(neighbours.includes(state.ids[0]), `the first suggestion (${state.ids[0]}) is bought with the heart in the index`);
  const fromIndex = state.ids.filter((id) => neighbours.includes(id));
  assert.ok(fromIndex.length >= 6, `most suggestions are the heart's index neighbours (${fromIndex.length} of 8)`);
  state.ids.forEach((id, i) => {
    const product = byId.get(id);
    assert.ok(product.stock !== 0, `${id} is in stock`);
    assert.equal(state.titles[i], product.title);
    assert.equal(state.prices[i], gbp(product.price));
    assert.ok(state.reasons[i].length > 0, `${id} shows its reason`);
    if (state.reasons[i] === `Often bought with ${anchor.title}`) assert.ok(neighbours.includes(id), `${id}: the reason is true`);
  });
  assert.equal(state.reasons[0], `Often bought with ${anchor.title}`);
  // The engine's worker fetched the index itself: the page's own resource timing has no request for it.
  assert.deepEqual(await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((name) => /suggest-index/.test(name))), []);
  // The theme's own "related" grid is only the fallback without CartKeep.
  assert.equal(await page.locator('#related').isHidden(), true);

  await page.locator('#bought-together').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.seen.impressions.length > 0, null, { timeout: 15000 });
  const impressions = await page.evaluate(() => window.seen.impressions);
  assert.deepEqual(impressions[0], { placement: 'bought-together', productId: state.ids[0], position: 1, source: 'index', reason: 'bought-together' });

  const first = state.ids[0];
  await page.locator(`#bought-together .item[data-product-id="${first}"] [part="add"]`).click();
  await waitForAnswer(page, (id) => CartKeep.ready.then((i) => i.cart.lines().some((l) => l.productId === id)), first);
  const clicks = await page.evaluate(() => window.seen.clicks);
  assert.deepEqual(clicks, [{ placement: 'bought-together', productId: first, position: 1, source: 'index', reason: 'bought-together', action: 'add' }]);
  await page.waitForFunction(() => document.querySelector('cartkeep-cart-count').shadowRoot.textContent === '1');
  // The product page view is on this device only, for "recently viewed" and "picked for you"; the demo asks for
  // consent (required-until-granted), so until the shopper gives it the profile lives in the page, not in storage.
  const views = await page.evaluate(() => CartKeep.ready.then(async (i) => (await i.suggest.profile()).views.map(([id]) => id)));
  assert.deepEqual(views, ['85123A']);
  assert.equal(await page.evaluate(() => localStorage.getItem('cartkeep:suggest-profile')), null);
  assert.deepEqual(await page.evaluate(() => window.seen.errors), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('cart page: "complete your order" follows the cart; the gap filler closes the free-delivery gap', async () => {
  const { page, problems, context } = await visit(demo, 'cart.html');
  await page.waitForFunction(() => window.seen.ready.length > 0, null, { timeout: 30000 });
  await page.evaluate(() => CartKeep.ready.then(async (i) => { await i.cart.add('22423', 2); await i.cart.add('85123A', 3); })); // £34.35
  const order = await shown(page, '#complete-order');
  assert.equal(order.heading, 'Complete your order');
  assert.ok(!order.ids.includes('22423') && !order.ids.includes('85123A'), 'nothing already in the cart');
  const cartNeighbours = new Set([...index.bought.get('22423'), ...index.bought.get('85123A')]);
  assert.ok(order.ids.slice(0, 4).every((id) => cartNeighbours.has(id)), 'the first picks are bought with the cart\'s products');
  const cartTitles = [byId.get('22423').title, byId.get('85123A').title];
  assert.ok(order.reasons.every((reason) => reason.length > 0));
  assert.ok(cartTitles.some((title) => order.reasons[0] === `Often bought with ${title}`), order.reasons[0]);

  const filler = await shown(page, '#free-shipping-filler');
  const gap = await page.evaluate(() => CartKeep.ready.then((i) => i.suggest.freeShippingGap()));
  assert.equal(gap, 4000 - 3435);
  assert.equal(filler.heading, `Reach free shipping: ${gbp(gap)} to go`);
  // One fact, one wording on this screen: the bar above says "free shipping" too, never "free delivery".
  const bar = await page.$eval('cartkeep-shipping-bar', (el) => el.shadowRoot.textContent);
  assert.match(bar, new RegExp(`Spend ${gbp(gap).replace('.', '\\.')} more for free shipping`));
  assert.doesNotMatch(`${bar} ${filler.heading}`, /free delivery/);
  assert.ok(filler.ids.length > 0);
  filler.prices.forEach((price, i) => {
    assert.ok(pence(price) >= gap && pence(price) <= 2 * gap, `${filler.ids[i]} at ${price} closes a ${gbp(gap)} gap without doubling it`);
    assert.ok(filler.reasons[i].length > 0);
  });
  const pick = filler.ids[0];
  await page.locator(`#free-shipping-filler .item[data-product-id="${pick}"] [part="add"]`).click();
  await page.waitForFunction(() => document.querySelector('#free-shipping-filler').hidden, null, { timeout: 15000 });
  const after = await page.evaluate(() => CartKeep.ready.then(async (i) => ({ gap: await i.suggest.freeShippingGap(), lines: i.cart.lines().map((l) => l.productId) })));
  assert.ok(after.gap === null || after.gap === 0, `free delivery reached (${after.gap})`);
  assert.deepEqual(after.lines, ['22423', '85123A', pick]);
  const clicks = await page.evaluate(() => window.seen.clicks);
  assert.equal(clicks.length, 1);
  assert.equal(clicks[0].placement, 'free-shipping');
  assert.equal(clicks[0].productId, pick);
  assert.equal(clicks[0].action, 'add');
  assert.deepEqual(problems, []);
  await context.close();
});

test('home page: "recently viewed" and "picked for you" follow the product pages visited', async () => {
  const { page, problems, context } = await visit(demo, 'product.html?id=22697');
  await shown(page, '#bought-together');
  // Across pages the profile needs the shopper's consent (the demo asks for it: required-until-granted).
  await page.evaluate(() => CartKeep.ready.then(async (i) => { await i.consent.set('granted'); }));
  await page.goto(`${demo.origin}/demo/product.html?id=85123A`);
  await shown(page, '#bought-together');
  await page.goto(`${demo.origin}/demo/index.html`);
  const recent = await shown(page, '#recently-viewed');
  assert.equal(recent.heading, 'Recently viewed');
  assert.deepEqual(recent.ids, ['85123A', '22697']);
  const picked = await shown(page, '#picked-for-you');
  assert.equal(picked.heading, 'Picked for you');
  assert.ok(picked.ids.length >= 6);
  assert.ok(!picked.ids.includes('85123A') && !picked.ids.includes('22697'), 'what was viewed is in "recently viewed"');
  const viewed = [byId.get('85123A').title, byId.get('22697').title];
  assert.ok(viewed.some((title) => picked.reasons[0] === `Because you viewed ${title}`), picked.reasons[0]);
  const related = new Set([...index.bought.get('85123A'), ...index.bought.get('22697')]);
  assert.ok(related.has(picked.ids[0]), 'the first pick is bought with a viewed product');
  assert.ok(picked.reasons.every((reason) => reason.length > 0));
  // A search result page is about the search: no carousels there.
  await page.goto(`${demo.origin}/demo/index.html?q=heart`);
  await page.waitForSelector('#product-grid .product-card');
  assert.equal(await page.locator('#home-suggestions').isHidden(), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('right to left: an Arabic store shows Arabic headings and reasons, mirrored, under the same CSP', async () => {
  const { page, problems, context } = await visit(arabicDemo, 'product.html?id=85123A');
  const state = await shown(page, '#bought-together');
  assert.equal(state.dir, 'rtl');
  assert.equal(state.heading, 'يُشترى معًا غالبًا');
  assert.equal(state.reasons[0], `غالبًا ما يُشترى مع ${byId.get('85123A').title}`);
  assert.ok(index.bought.get('85123A').includes(state.ids[0]));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a damaged, truncated or foreign index: cartkeep:error with its code and path, popularity instead, add to cart works', async () => {
  const flipped = Buffer.from(indexBytes);
  flipped[flipped.length - 10] ^= 0xff;
  const foreign = readFileSync(new URL('../../fixtures/suggest/tiny-index.bin', import.meta.url));
  const cases = [
    [indexBytes.subarray(0, 2000), /truncated/],
    [flipped, /checksum/i],
    [foreign, /built for catalog version "tiny-1", but options.suggestions.catalogVersion is "hearth-and-twine-1"/],
    [Buffer.from('<!doctype html><title>Not found</title>'), /looks like HTML/],
  ];
  for (const [bytes, pattern] of cases) {
    badIndex.bytes = bytes;
    const { page, problems, context } = await visit(badDemo, 'product.html?id=85123A');
    const state = await shown(page, '#bought-together', 'popularity');
    const errors = await page.evaluate(() => window.seen.errors);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].code, 'invalid-argument');
    assert.equal(errors[0].path, 'suggestions.index');
    assert.equal(errors[0].source, 'suggestions');
    assert.match(errors[0].message, pattern);
    assert.equal(state.hidden, false);
    assert.ok(state.ids.length > 0 && !state.ids.includes('85123A'));
    assert.ok(state.reasons.every((reason) => reason.length > 0));
    const status = await page.evaluate(() => CartKeep.ready.then((i) => i.suggest.status()));
    assert.equal(status.source, 'popularity');
    await page.locator(`#bought-together .item[data-product-id="${state.ids[0]}"] [part="add"]`).click();
    await waitForAnswer(page, (id) => CartKeep.ready.then((i) => i.cart.lines().some((l) => l.productId === id)), state.ids[0]);
    assert.deepEqual(problems, []);
    await context.close();
  }
});
