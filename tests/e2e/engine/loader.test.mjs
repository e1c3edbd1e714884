// The loader and public contract in real Chromium: script tag and ES module builds, data-config,
// errors with paths, wasm that fails to load, locateFile, destroy().
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useDemoBrowser, waitForAnswer } from '../helpers/browser.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'";
const catalog = [
  { id: 'mug', title: 'Enamel <b>Mug</b>', price: 850, stock: 3 },
  { id: 'lamp', title: 'Lamp', price: 1999 },
];
const shared = useDemoBrowser();

// Serves `html` at /demo/__test/<name>.html with the demo's strict CSP, next to the real dist/.
async function pageWith(html, { block } = {}) {
  const opened = await openPage(shared.browser);
  await opened.page.route('**/demo/__test/*.html', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', headers: { 'content-security-policy': CSP }, body: html }));
  if (block) await opened.page.route(block, (route) => route.abort('blockedbyclient'));
  // Record CartKeep's document events from the very start of each page.
  await opened.page.addInitScript(() => {
    window.seen = {};
    for (const name of ['ready', 'error']) {
      document.addEventListener(`cartkeep:${name}`, (event) => { window.seen[name] = event.detail; });
    }
  });
  return opened;
}

const scriptTag = (config) =>
  `<!doctype html><html lang="en-GB"><body><p id="shop">Shop</p><button id="add" data-cartkeep-add="mug">Add</button>
   <cartkeep-cart-count></cartkeep-cart-count><cartkeep-cart></cartkeep-cart>
   <script src="/dist/cartkeep.js" data-config='${JSON.stringify(config)}'></script></body></html>`;

test('script tag with inline data-config: ready, declarative add, widgets, escaping', async () => {
  const { page, problems, context } = await pageWith(scriptTag({ currency: 'GBP', catalog }));
  await page.goto(`${shared.demo.origin}/demo/__test/script.html`);
  await page.waitForFunction(() => window.seen.ready);
  assert.match(await page.evaluate(() => window.seen.ready.version), /^\d+\.\d+\.\d+/);
  await page.evaluate(() => CartKeep.ready.then(() => true)); // not the instance itself: serialising it takes ~40 s
  await page.click('#add');
  await page.click('#add');
  // A click's cart action runs in the task after it (the press paints first): wait for the engine's answer.
  await waitForAnswer(page, async () => (await CartKeep.ready).cart.count() >= 2);
  await page.waitForFunction(() => document.querySelector('cartkeep-cart').shadowRoot.querySelector('[data-subtotal]')?.textContent !== '£8.50');
  const state = await page.evaluate(async () => {
    const instance = await CartKeep.ready;
    const view = document.querySelector('cartkeep-cart').shadowRoot;
    return {
      count: instance.cart.count(),
      badge: document.querySelector('cartkeep-cart-count').shadowRoot.textContent,
      title: view.querySelector('.title').textContent,
      injected: view.querySelectorAll('b').length,
      subtotal: view.querySelector('[data-subtotal]').textContent,
    };
  });
  assert.deepEqual(state, { count: 2, badge: '2', title: 'Enamel <b>Mug</b>', injected: 0, subtotal: '£17.00' });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a malformed catalog rejects with the path, emits cartkeep:error, and the page keeps working', async () => {
  const bad = [{ id: 'mug', title: 'Mug', price: 850 }, { id: 'lamp', title: 'Lamp', price: '19.99' }];
  const { page, context } = await pageWith(scriptTag({ currency: 'GBP', catalog: bad }));
  await page.goto(`${shared.demo.origin}/demo/__test/bad.html`);
  await page.waitForFunction(() => window.seen.error);
  assert.deepEqual(await page.evaluate(() => window.seen.error), {
    code: 'invalid-catalog', path: 'catalog[1].price',
    message: 'catalog[1].price: expected a non-negative integer amount in minor units, got "19.99"',
  });
  const rejection = await page.evaluate(() => CartKeep.ready.then(() => null, (e) => ({ name: e.name, code: e.code, path: e.path, isError: e instanceof CartKeep.CartKeepError })));
  assert.deepEqual(rejection, { name: 'CartKeepError', code: 'invalid-catalog', path: 'catalog[1].price', isError: true });
  assert.equal(await page.textContent('#shop'), 'Shop');
  await context.close();
});

test('malformed inline JSON in data-config is reported, not thrown', async () => {
  const html = '<!doctype html><body><script src="/dist/cartkeep.js" data-config="{currency: GBP"></script></body>';
  const { page, problems, context } = await pageWith(html);
  await page.goto(`${shared.demo.origin}/demo/__test/json.html`);
  await page.waitForFunction(() => window.seen.error);
  const detail = await page.evaluate(() => window.seen.error);
  assert.equal(detail.code, 'invalid-json');
  assert.equal(detail.path, 'data-config');
  assert.deepEqual(problems, []);
  await context.close();
});

// With DevTools attached (Lighthouse, PageSpeed, Playwright) Chromium records each request's initiator stack; a
// request made while the bundle's global code is on the stack makes V8 collect source positions for the whole
// bundle (about 35 ms here). The config is therefore fetched from a microtask: its stack must end in a function of
// the bundle, not in the global code, which V8 reports at the bundle's closing IIFE call.
test('data-config is fetched from a microtask, not from the script\'s global code', async () => {
  const { page, context } = await pageWith(
    '<!doctype html><body><script src="/dist/cartkeep.js" data-config="/demo/__test/config.json"></script></body>');
  await page.route('**/demo/__test/config.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ currency: 'GBP', catalog }) }));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const stacks = new Map();
  cdp.on('Network.requestWillBeSent', (event) => stacks.set(new URL(event.request.url).pathname, event.initiator.stack));
  await page.goto(`${shared.demo.origin}/demo/__test/config.html`);
  await page.evaluate(() => CartKeep.ready.then(() => true));
  const bundle = await (await fetch(`${shared.demo.origin}/dist/cartkeep.js`)).text();
  const lines = bundle.split('\n');
  const iifeCall = { line: lines.length - 1, column: lines.at(-1).lastIndexOf('})()') };
  while (iifeCall.column < 0) { iifeCall.line -= 1; iifeCall.column = lines[iifeCall.line].lastIndexOf('})()'); }
  const frames = stacks.get('/demo/__test/config.json').callFrames.filter((frame) => frame.url.endsWith('/dist/cartkeep.js'));
  assert.ok(frames.length > 0, 'the request was made by the bundle');
  const outermost = frames.at(-1);
  assert.ok(outermost.lineNumber !== iifeCall.line || outermost.columnNumber < iifeCall.column,
    `the config request was made from the global code (${JSON.stringify(outermost)})`);
  await context.close();
});

test('a blocked .wasm rejects with wasm-load-failed and leaves the page usable', async () => {
  const { page, context } = await pageWith(scriptTag({ currency: 'GBP', catalog }), { block: '**/cartkeep.wasm' });
  await page.goto(`${shared.demo.origin}/demo/__test/blocked.html`);
  const failure = await page.evaluate(() => CartKeep.ready.then(() => null, (e) => ({ code: e.code, message: e.message })));
  assert.equal(failure.code, 'wasm-load-failed');
  assert.match(failure.message, /cartkeep\.wasm/);
  await page.click('#add'); // no handler, nothing breaks
  assert.equal(await page.textContent('#shop'), 'Shop');
  await context.close();
});

test('options.wasmUrl is where the wasm is fetched from', async () => {
  const { page, context } = await pageWith(scriptTag({ currency: 'GBP', catalog, wasmUrl: '/dist/elsewhere/core.wasm' }));
  const requested = [];
  page.on('request', (request) => { if (request.url().endsWith('.wasm')) requested.push(new URL(request.url()).pathname); });
  await page.route('**/dist/elsewhere/core.wasm', (route) => route.fulfill({ path: new URL('../../../dist/cartkeep.wasm', import.meta.url).pathname,
    contentType: 'application/wasm' }));
  await page.goto(`${shared.demo.origin}/demo/__test/wasm-url.html`);
  assert.equal(await page.evaluate(() => CartKeep.ready.then(() => true)), true);
  assert.deepEqual(requested, ['/dist/elsewhere/core.wasm']);
  await context.close();
});

test('ES module build, locateFile, and destroy() removing what it added', async () => {
  const html = `<!doctype html><html lang="ar"><body><button id="add" data-cartkeep-add="mug">أضف</button>
    <cartkeep-cart></cartkeep-cart><script type="module" src="/demo/__test/module.js"></script></body></html>`;
  const { page, problems, context } = await pageWith(html);
  await page.route('**/demo/__test/module.js', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: `import { init } from '/dist/cartkeep.mjs';
      window.located = [];
      window.started = init({ currency: 'KWD', catalog: ${JSON.stringify(catalog.map((p) => ({ ...p, currency: 'KWD' })))},
        locateFile: (file, base) => { window.located.push(file); return new URL(file, base).href; } })
        .then((instance) => { window.instance = instance; return true; });`,
  }));
  await page.goto(`${shared.demo.origin}/demo/__test/module.html`);
  await page.waitForFunction(() => window.started);
  assert.equal(await page.evaluate(() => window.started), true);
  assert.deepEqual(await page.evaluate(() => window.located), ['cartkeep.worker.js', 'cartkeep.wasm']);
  await page.click('#add');
  await page.waitForFunction(() => window.instance.cart.count() > 0);
  const before = await page.evaluate(() => ({
    dir: document.querySelector('cartkeep-cart').dir,
    count: window.instance.cart.count(),
    liveRegions: document.querySelectorAll('[data-cartkeep-live-region]').length,
    title: document.querySelector('cartkeep-cart').shadowRoot.querySelector('h2').textContent,
  }));
  assert.equal(before.dir, 'rtl');
  assert.equal(before.count, 1);
  assert.equal(before.liveRegions, 1);
  assert.match(before.title, /سلة التسوق/);
  const afterDestroy = await page.evaluate(() => {
    window.instance.destroy();
    document.querySelector('#add').click();
    return {
      liveRegions: document.querySelectorAll('[data-cartkeep-live-region]').length,
      cartText: document.querySelector('cartkeep-cart').shadowRoot.textContent,
    };
  });
  assert.deepEqual(afterDestroy, { liveRegions: 0, cartText: '' });
  assert.deepEqual(problems, []);
  await context.close();
});
