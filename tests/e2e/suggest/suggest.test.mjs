// <cartkeep-suggestions> in real Chromium: the accessible carousel, lazy images, add to cart, impression
// and click events, keyboard, right to left, the free-shipping gap filler, views across pages, and an index
// that fails to load (the widget falls back to popularity and the page reports cartkeep:error); while the engine
// answers, the carousel keeps what it shows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { holdEngineAnswers, openPage, useDemoBrowser, waitForAnswer } from '../helpers/browser.mjs';

const fixtures = new URL('../../fixtures/suggest/', import.meta.url);
const indexBytes = readFileSync(new URL('tiny-index.bin', fixtures));
const catalog = JSON.parse(readFileSync(new URL('tiny-catalog.json', fixtures), 'utf8'))
  .map((p) => ({ ...p, image: `/demo/${p.image}` }));
catalog[3].title = 'Regency <b>Cake</b> Stand'; // text, never markup

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'";
const shared = useDemoBrowser();

// Pages under /demo/__test/<name>.html with the demo's strict CSP, rendered by `render(name, config)`;
// the index under /demo/__test/index.bin (null: 404).
async function shop(render, { index = indexBytes, viewport, config = {} } = {}) {
  const opened = await openPage(shared.browser, undefined, { context: { viewport: viewport || { width: 1200, height: 900 } } });
  const { page } = opened;
  // The profile is stored across pages only with consent: these pages have it.
  const full = { currency: 'GBP', catalog, consent: 'granted', suggestions: { index: 'index.bin' }, ...config };
  await page.route('**/demo/__test/*.html', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    route.fulfill({ status: 200, contentType: 'text/html', headers: { 'content-security-policy': CSP }, body: render(name, full) });
  });
  await page.route('**/demo/__test/index.bin', (route) => (index
    ? route.fulfill({ status: 200, contentType: 'application/octet-stream', body: index })
    : route.fulfill({ status: 404, contentType: 'text/plain', body: 'missing' })));
  await page.addInitScript(() => {
    window.seen = { impressions: [], clicks: [], errors: [] };
    document.addEventListener('cartkeep:suggestion-impression', (e) => window.seen.impressions.push(e.detail));
    document.addEventListener('cartkeep:suggestion-click', (e) => window.seen.clicks.push(e.detail));
    document.addEventListener('cartkeep:error', (e) => window.seen.errors.push(e.detail));
  });
  return opened;
}

const html = (config, body, { lang = 'en-GB', product = '' } = {}) => `<!doctype html><html lang="${lang}">
  <body${product ? ` data-cartkeep-product="${product}"` : ''}>${body}
  <cartkeep-cart-count></cartkeep-cart-count>
  <script src="/dist/cartkeep.js" data-config='${JSON.stringify(config).replace(/'/g, '&#39;')}'></script></body></html>`;

const ready = async (page) => {
  await page.waitForFunction(() => window.CartKeep);
  return waitForAnswer(page, () => CartKeep.ready.then((i) => i.suggest.ready).then(() => true));
};

function widgetState(page, selector = 'cartkeep-suggestions') {
  return page.evaluate((sel) => {
    const host = document.querySelector(sel);
    const root = host.shadowRoot;
    const region = root.querySelector('section');
    return {
      hidden: host.hidden,
      dir: host.getAttribute('dir'),
      heading: root.querySelector('[part="title"]')?.textContent,
      labelledBy: region && root.getElementById(region.getAttribute('aria-labelledby'))?.textContent,
      roledescription: region?.getAttribute('aria-roledescription'),
      source: region?.dataset.source,
      ids: [...root.querySelectorAll('.item')].map((i) => i.dataset.productId),
      labels: [...root.querySelectorAll('.item')].map((i) => `${i.getAttribute('role')}|${i.getAttribute('aria-roledescription')}|${i.getAttribute('aria-label')}`),
      titles: [...root.querySelectorAll('.title')].map((t) => t.textContent),
      reasons: [...root.querySelectorAll('.reason')].map((t) => t.textContent),
      prices: [...root.querySelectorAll('.price')].map((t) => t.textContent),
      lazy: [...root.querySelectorAll('img')].every((img) => img.loading === 'lazy' && img.getAttribute('alt') === ''),
      bold: root.querySelectorAll('b').length,
    };
  }, selector);
}

test('bought together: an accessible carousel with reasons, lazy images and text-only titles', async () => {
  const { page, problems, context } = await shop((name, config) => html(config, '<main><h1>Green teacup</h1><cartkeep-suggestions placement="bought-together" limit="4"></cartkeep-suggestions></main>', { product: '22697' }));
  await page.goto(`${shared.demo.origin}/demo/__test/product.html`);
  await ready(page);
  await page.waitForFunction(() => document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('section[data-source="index"]'));
  const state = await widgetState(page);
  assert.equal(state.hidden, false);
  assert.equal(state.heading, 'Frequently bought together');
  assert.equal(state.labelledBy, 'Frequently bought together');
  assert.equal(state.roledescription, 'carousel');
  assert.deepEqual(state.ids.slice(0, 2), ['22423', '21212']);
  assert.equal(state.ids.length, 4);
  assert.deepEqual(state.labels[0], 'group|suggestion|1 of 4');
  assert.equal(state.titles[0], 'Regency <b>Cake</b> Stand');
  assert.equal(state.bold, 0);
  assert.equal(state.reasons[0], 'Often bought with Green Regency Teacup and Saucer');
  assert.equal(state.prices[0], '£12.75');
  assert.equal(state.lazy, true);
  // The page's product was recorded as a view (data-cartkeep-product) and is kept on this device.
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('cartkeep:suggest-profile')).views.map(([id]) => id));
  assert.deepEqual(stored, ['22697']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('add to cart from the carousel: click event, cart updated, the product leaves "complete your order", focus stays', async () => {
  const { page, problems, context } = await shop((name, config) => html(config, '<cartkeep-suggestions placement="complete-order" limit="3"></cartkeep-suggestions>'));
  await page.goto(`${shared.demo.origin}/demo/__test/cart.html`);
  await ready(page);
  await page.evaluate(() => CartKeep.ready.then(async (i) => { await i.cart.add('85123A'); }));
  await page.waitForFunction(() => document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('[data-product-id="71053"]'));
  assert.deepEqual((await widgetState(page)).ids, ['71053', '84406B', '84029G']);
  const add = page.locator('cartkeep-suggestions .item[data-product-id="71053"] [part="add"]');
  assert.equal(await add.getAttribute('aria-label'), 'Add White Metal Lantern to cart');
  await add.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('[data-product-id="71053"]'));
  const after = await page.evaluate(async () => {
    const instance = await CartKeep.ready;
    const root = document.querySelector('cartkeep-suggestions').shadowRoot;
    return {
      lines: instance.cart.lines().map((l) => l.productId),
      clicks: window.seen.clicks,
      focused: root.activeElement ? `${root.activeElement.closest('.item')?.dataset.productId}|${root.activeElement.getAttribute('part')}` : null,
    };
  });
  assert.deepEqual(after.lines, ['85123A', '71053']);
  assert.deepEqual(after.clicks, [{ placement: 'complete-order', productId: '71053', position: 1, source: 'index', reason: 'bought-together', action: 'add' }]);
  assert.match(after.focused, /\|add$/, 'keyboard focus stays on an add button');
  assert.deepEqual(problems, []);
  await context.close();
});

test('while the engine answers, the carousel keeps its products at their size, then shows the new ones', async () => {
  const { page, problems, context } = await shop((name, config) => html(config, '<cartkeep-suggestions placement="complete-order" limit="3"></cartkeep-suggestions>'));
  await page.goto(`${shared.demo.origin}/demo/__test/cart.html`);
  await ready(page);
  await page.evaluate(() => CartKeep.ready.then(async (i) => { await i.cart.add('85123A'); }));
  await page.waitForFunction(() => document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('[data-product-id="71053"]'));
  const shown = () => page.$eval('cartkeep-suggestions', (el) => ({
    ids: [...el.shadowRoot.querySelectorAll('.item')].map((i) => i.dataset.productId), height: el.getBoundingClientRect().height }));
  const before = await shown();
  // Hold the cart action's answer, which carries the carousel's new products: the cart changes, the carousel waits.
  await holdEngineAnswers(page, 'cartAction');
  await page.evaluate(() => CartKeep.ready.then((i) => { window.adding = i.cart.add('71053'); }));
  await page.waitForFunction(() => window.held.length > 0);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.deepEqual(await shown(), before, 'the carousel stays as it was, at its height, until the answer comes');
  await page.evaluate(() => { for (const answer of window.held.splice(0)) answer(); return window.adding; });
  await page.waitForFunction(() => !document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('[data-product-id="71053"]'));
  assert.equal((await shown()).ids.length, 3);
  assert.deepEqual(problems, []);
  await context.close();
});

test('impressions: only cards half on screen, once each; arrow keys and the next button move through the list', async () => {
  const { page, problems, context } = await shop((name, config) => html(config, '<cartkeep-suggestions placement="picked-for-you" limit="8"></cartkeep-suggestions>'), { viewport: { width: 420, height: 900 } });
  await page.goto(`${shared.demo.origin}/demo/__test/home.html`);
  await ready(page);
  await page.waitForFunction(() => window.seen.impressions.length > 0);
  await page.waitForTimeout(300);
  const total = (await widgetState(page)).ids.length;
  const first = await page.evaluate(() => window.seen.impressions.map((i) => i.position));
  assert.ok(total >= 6, `8 suggestions expected, got ${total}`);
  assert.ok(first.length < total, `only visible cards count (${first.length} of ${total})`);
  assert.equal(first[0], 1);
  const previousDisabled = await page.locator('cartkeep-suggestions [part="previous"]').isDisabled();
  assert.equal(previousDisabled, true);
  // Keyboard: from the first title, ArrowRight goes to the second, End to the last.
  await page.locator('cartkeep-suggestions .item[data-index="0"] .title').focus();
  await page.keyboard.press('ArrowRight');
  const second = await page.evaluate(() => document.querySelector('cartkeep-suggestions').shadowRoot.activeElement.closest('.item').dataset.index);
  assert.equal(second, '1');
  await page.keyboard.press('End');
  await page.waitForTimeout(600);
  const last = await page.evaluate(() => document.querySelector('cartkeep-suggestions').shadowRoot.activeElement.closest('.item').dataset.index);
  assert.equal(Number(last), total - 1);
  await page.waitForFunction((n) => window.seen.impressions.length === n, total, { timeout: 5000 }).catch(() => {});
  const all = await page.evaluate(() => window.seen.impressions.map((i) => i.productId));
  assert.equal(new Set(all).size, all.length, 'each product once');
  assert.ok(all.length > first.length, 'scrolling revealed more');
  // The buttons follow the scroll position once the (smooth) scroll settles: wait for it, however slow the machine.
  const nextDisabled = (disabled) => page.waitForFunction((want) =>
    document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('[part="next"]').disabled === want, disabled, { timeout: 10000 });
  await nextDisabled(true);
  assert.equal(await page.locator('cartkeep-suggestions [part="next"]').isDisabled(), true);
  await page.locator('cartkeep-suggestions [part="previous"]').click();
  await nextDisabled(false);
  assert.equal(await page.locator('cartkeep-suggestions [part="next"]').isDisabled(), false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('right to left: Arabic heading, reasons and digits, mirrored arrow keys and scrolling', async () => {
  const { page, problems, context } = await shop((name, config) => html({ ...config, locale: 'ar-AE' }, '<cartkeep-suggestions placement="bought-together" product-id="22697" limit="5"></cartkeep-suggestions>', { lang: 'ar' }), { viewport: { width: 420, height: 900 } });
  await page.goto(`${shared.demo.origin}/demo/__test/ar.html`);
  await ready(page);
  await page.waitForFunction(() => document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('section[data-source="index"]'));
  const state = await widgetState(page);
  assert.equal(state.dir, 'rtl');
  assert.equal(state.heading, 'يُشترى معًا غالبًا');
  assert.equal(state.reasons[0], 'غالبًا ما يُشترى مع Green Regency Teacup and Saucer');
  // Numbers in the locale's own digits, as Intl formats them for ar-AE.
  const [one, five] = await page.evaluate(() => [1, 5].map((n) => new Intl.NumberFormat('ar-AE').format(n)));
  assert.equal(state.labels[0], `group|اقتراح|${one} من ${five}`);
  await page.locator('cartkeep-suggestions .item[data-index="0"] .title').focus();
  await page.keyboard.press('ArrowLeft'); // forward in right to left
  const index = await page.evaluate(() => document.querySelector('cartkeep-suggestions').shadowRoot.activeElement.closest('.item').dataset.index);
  assert.equal(index, '1');
  await page.locator('cartkeep-suggestions [part="next"]').click();
  await page.waitForTimeout(600);
  const scroll = await page.evaluate(() => document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('.track').scrollLeft);
  assert.ok(scroll < 0, `scrolls towards the left in RTL (${scroll})`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('free-shipping gap filler: the quote engine\'s gap in the heading, prices that close it, gone once reached', async () => {
  const shipping = {
    defaultDestination: { country: 'GB' },
    zones: [{ id: 'uk', name: 'UK', countries: ['GB'], methods: [{ id: 'standard', name: 'Standard', rate: { type: 'flat', amount: 395 }, freeAbove: 600 }] }],
  };
  const { page, problems, context } = await shop((name, config) => html(config, `<cartkeep-suggestions id="auto" placement="free-shipping" limit="4"></cartkeep-suggestions>
      <cartkeep-suggestions id="fixed" placement="free-shipping" gap="1000"></cartkeep-suggestions>`), { config: { shipping } });
  await page.goto(`${shared.demo.origin}/demo/__test/gap.html`);
  await ready(page);
  // The widget asks once it nears the screen; an empty cart's answer has nothing to fill, so it hides.
  await waitForAnswer(page, () => document.querySelector('#auto').hidden, null, { timeout: 5000 });
  assert.equal((await widgetState(page, '#auto')).hidden, true, 'an empty cart has no gap to fill yet');
  await page.evaluate(() => CartKeep.ready.then(async (i) => { await i.cart.add('85123A'); }));
  await page.waitForFunction(() => !document.querySelector('#auto').hidden);
  const auto = await widgetState(page, '#auto');
  assert.equal(auto.heading, 'Reach free shipping: £3.05 to go');
  assert.deepEqual(auto.ids, ['71053', '84029G', '47566']);
  const fixed = await widgetState(page, '#fixed');
  assert.equal(fixed.heading, 'Reach free shipping: £10.00 to go');
  assert.deepEqual(fixed.ids, ['22423']);
  await page.locator('#auto .item[data-product-id="71053"] [part="add"]').click();
  await page.waitForFunction(() => document.querySelector('#auto').hidden);
  assert.deepEqual(problems, []);
  await context.close();
});

test('views follow the shopper across pages: "recently viewed" and "picked for you" on the next page', async () => {
  const productOf = { 'p1.html': '22697', 'p2.html': '85123A' };
  const { page, problems, context } = await shop((name, config) => html(config,
    `<cartkeep-suggestions id="recent" placement="recently-viewed"></cartkeep-suggestions>
     <cartkeep-suggestions id="picked" placement="picked-for-you" limit="3"></cartkeep-suggestions>`, { product: productOf[name] || '' }));
  await page.goto(`${shared.demo.origin}/demo/__test/p1.html`);
  await ready(page);
  await page.waitForTimeout(400); // dwell
  await page.goto(`${shared.demo.origin}/demo/__test/p2.html`);
  await ready(page);
  await page.goto(`${shared.demo.origin}/demo/__test/home.html`);
  await ready(page);
  await page.waitForFunction(() => document.querySelector('#picked').shadowRoot.querySelector('section[data-source="index"]'));
  const recent = await widgetState(page, '#recent');
  assert.equal(recent.heading, 'Recently viewed');
  assert.deepEqual(recent.ids, ['85123A', '22697']);
  const picked = await widgetState(page, '#picked');
  assert.ok(!picked.ids.includes('22697') && !picked.ids.includes('85123A'), 'what was viewed is in "recently viewed"');
  assert.match(picked.reasons[0], /^Because you viewed /);
  const dwell = await page.evaluate(() => JSON.parse(localStorage.getItem('cartkeep:suggest-profile')).views.find(([id]) => id === '22697')[2]);
  assert.ok(dwell >= 250, `the first page's dwell was recorded (${dwell} ms)`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an index that fails to load or is damaged: cartkeep:error with its path, the widget falls back to popularity', async () => {
  for (const [index, pattern] of [[null, /HTTP 404/], [indexBytes.subarray(0, 150), /truncated/]]) {
    const { page, context } = await shop((name, config) => html(config, '<cartkeep-suggestions placement="bought-together" product-id="22697" limit="3"></cartkeep-suggestions>'), { index });
    await page.goto(`${shared.demo.origin}/demo/__test/broken.html`);
    await ready(page);
    await page.waitForFunction(() => window.seen.errors.length > 0);
    const errors = await page.evaluate(() => window.seen.errors);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].path, 'suggestions.index');
    assert.equal(errors[0].source, 'suggestions');
    assert.match(errors[0].message, pattern);
    // The error comes first; the widget's answer (popularity instead) follows it.
    await waitForAnswer(page, () => document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('section[data-source]'), null, { timeout: 10000 });
    const state = await widgetState(page);
    assert.equal(state.hidden, false);
    assert.equal(state.source, 'popularity');
    assert.equal(state.ids.length, 3);
    assert.ok(!state.ids.includes('22697'));
    await context.close();
  }
});

// Requests for the index from this page, counted as they are sent.
function countIndexRequests(page) {
  const sent = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/demo/__test/index.bin') sent.push(request.url());
  });
  return sent;
}

// CartKeep started, the widgets took the instance, and the frames that deliver their first intersection
// answers have passed: what the page loads on its own has been asked for by now.
async function settled(page) {
  await page.waitForFunction(() => window.CartKeep);
  await waitForAnswer(page, () => CartKeep.ready.then((i) => i.suggest.status()).then(() => true));
  await page.waitForFunction(() => [...document.querySelectorAll('cartkeep-suggestions')].every((w) => w.instance));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(resolve)))));
}

test('the index loads only once a suggestions widget nears the screen: none far down the page, one request on scrolling near', async () => {
  // A canvas sized by its attributes (the CSP allows no inline style) puts the widget far below the fold.
  const { page, problems, context } = await shop((name, config) => html(config, `<h1>Home</h1><canvas width="10" height="6000"></canvas>
    <cartkeep-suggestions placement="bought-together" product-id="22697" limit="3"></cartkeep-suggestions>`));
  const sent = countIndexRequests(page);
  await page.goto(`${shared.demo.origin}/demo/__test/far.html`);
  await settled(page);
  assert.deepEqual(sent, [], 'no index request while the widget is far from the screen');
  assert.equal((await widgetState(page)).ids.length, 0, 'a far widget asks nothing yet');
  await page.evaluate(() => window.scrollTo(0, 1500)); // still more than a viewport away
  await settled(page);
  assert.deepEqual(sent, []);
  await page.evaluate(() => window.scrollTo(0, 4800)); // within a viewport of the widget
  await page.waitForFunction(() => document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('section[data-source="index"] .item'));
  assert.equal(sent.length, 1);
  assert.deepEqual((await widgetState(page)).ids.slice(0, 2), ['22423', '21212']);
  assert.deepEqual(await page.evaluate(() => window.seen.errors), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('without a widget the first suggest() loads the index: callers at once share one request; a 404 then reaches cartkeep:error', async () => {
  for (const index of [indexBytes, null]) {
    const { page, context } = await shop((name, config) => html(config, '<main><h1>Plain page</h1></main>'), { index });
    const sent = countIndexRequests(page);
    await page.goto(`${shared.demo.origin}/demo/__test/plain.html`);
    await settled(page);
    assert.deepEqual(sent, [], 'nothing asked for the index yet');
    assert.equal((await page.evaluate(() => CartKeep.ready.then((i) => i.suggest.status()))).source, 'popularity');
    assert.deepEqual(await page.evaluate(() => window.seen.errors), []);
    const sources = await page.evaluate(() => CartKeep.ready.then((i) => Promise.all([
      i.suggest({ placement: 'bought-together', productId: '22697', limit: 3 }),
      i.suggest({ placement: 'picked-for-you', limit: 3 }),
      i.suggest.ready,
    ])).then(([a, b, status]) => [a.source, b.source, status.source]));
    await page.evaluate(() => CartKeep.ready.then((i) => i.suggest({ placement: 'picked-for-you', limit: 3 })));
    assert.equal(sent.length, 1, 'one request, shared');
    const errors = await page.evaluate(() => window.seen.errors);
    if (index) {
      assert.deepEqual(sources, ['index', 'index', 'index']);
      assert.deepEqual(errors, []);
    } else {
      assert.deepEqual(sources, ['popularity', 'popularity', 'popularity']);
      assert.deepEqual(errors.map((e) => [e.code, e.path, e.source]), [['index-load-failed', 'suggestions.index', 'suggestions']]);
      assert.match(errors[0].message, /HTTP 404/);
    }
    await context.close();
  }
});

test('"bought together" waits quietly for its product: hidden without one, shown once the page names it', async () => {
  const { page, problems, context } = await shop((name, config) => html(config, '<cartkeep-suggestions placement="bought-together" limit="3"></cartkeep-suggestions>'));
  await page.goto(`${shared.demo.origin}/demo/__test/late.html`);
  await ready(page);
  assert.equal((await widgetState(page)).hidden, true);
  await page.evaluate(() => document.body.setAttribute('data-cartkeep-product', '22697'));
  await page.waitForFunction(() => document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('section[data-source="index"]'));
  assert.deepEqual((await widgetState(page)).ids.slice(0, 2), ['22423', '21212']);
  assert.deepEqual(await page.evaluate(() => window.seen.errors), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an unknown product id on the widget: one cartkeep:error (unknown-product), suggestions from the session and popularity', async () => {
  const { page, problems, context } = await shop((name, config) => html(config, '<cartkeep-suggestions placement="bought-together" product-id="DISCONTINUED" limit="3"></cartkeep-suggestions>'));
  await page.goto(`${shared.demo.origin}/demo/__test/gone.html`);
  await ready(page);
  await page.waitForFunction(() => document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('section[data-source="index"] .item'));
  await page.evaluate(() => CartKeep.ready.then(async (i) => { await i.cart.add('85123A'); })); // re-renders: still reported once
  await page.waitForFunction(() => document.querySelector('cartkeep-suggestions').shadowRoot.querySelector('[data-product-id="71053"]'));
  const errors = await page.evaluate(() => window.seen.errors);
  assert.deepEqual(errors.map((e) => [e.code, e.path, e.source]), [['unknown-product', 'request.productId', 'suggestions']]);
  const state = await widgetState(page);
  assert.equal(state.hidden, false);
  assert.equal(state.ids.length, 3);
  assert.ok(state.reasons.every((reason) => reason.length > 0));
  assert.deepEqual(problems, []);
  await context.close();
});
