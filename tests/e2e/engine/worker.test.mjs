// The engine's worker bundle (dist/cartkeep.worker.js) in real Chromium, under the demo's strict CSP: it loads
// the core next to it and answers the page's messages by the protocol (js/engine/worker-protocol.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useDemoBrowser, waitForAnswer } from '../helpers/browser.mjs';

const shared = useDemoBrowser();

test('the worker loads the core under the strict CSP and answers calls by the protocol', async () => {
  const { page, problems, context } = await openPage(shared.browser);
  const violations = [];
  page.on('console', (message) => { if (/Content Security Policy/.test(message.text())) violations.push(message.text()); });
  const response = await page.goto(`${shared.demo.origin}/demo/index.html`);
  assert.match(response.headers()['content-security-policy'] || '', /script-src 'self' 'wasm-unsafe-eval'/);
  const answers = await page.evaluate(async () => {
    const worker = new Worker('../dist/cartkeep.worker.js', { name: 'cartkeep-engine' });
    const protocol = 'cartkeep-engine/2';
    const received = [];
    const answer = (id) => new Promise((resolve) => {
      const check = () => { const found = received.find((m) => m.id === id); if (found) resolve(found); else setTimeout(check, 5); };
      check();
    });
    worker.onmessage = (event) => received.push(event.data);
    const wasmUrl = new URL('../dist/cartkeep.wasm', document.baseURI).href;
    worker.postMessage({ protocol, id: 1, kind: 'start', wasmUrl });
    const options = JSON.stringify({ currency: 'GBP', catalog: [{ id: 'mug', title: 'Mug', price: 850 }] });
    worker.postMessage({ protocol, id: 2, kind: 'call', method: 'initBegin', args: [options] });
    let id = 3;
    for (;;) {
      worker.postMessage({ protocol, id, kind: 'call', method: 'initStep', args: [] });
      if (!JSON.parse((await answer(id)).json)) break;
      id += 1;
    }
    worker.postMessage({ protocol, id: 100, kind: 'call', method: 'initFinish', args: [] });
    const action = JSON.stringify({ type: 'add', productId: 'mug', quantity: 3, at: Date.now(), pageMs: 1 });
    worker.postMessage({ protocol, id: 101, kind: 'call', method: 'cartAction', args: [action] });
    worker.postMessage({ protocol, id: 102, kind: 'call', method: 'cartAction', args: ['{"type":"add","productId":"nope","quantity":1,"at":1,"pageMs":1}'] });
    worker.postMessage({ protocol: 'other', id: 103 });
    const result = { start: await answer(1), added: await answer(101), refused: await answer(102) };
    await new Promise((resolve) => setTimeout(resolve, 50));
    result.fault = received.find((m) => m.kind === 'fault');
    worker.terminate();
    return result;
  });
  assert.deepEqual(answers.start, { protocol: 'cartkeep-engine/2', id: 1, ok: true, value: null });
  // a core call's answer is the core's JSON text, parsed by the page
  assert.equal(JSON.parse(answers.added.json).cart.count, 3);
  assert.equal(JSON.parse(answers.added.json).cart.subtotal, 2550);
  assert.equal(answers.refused.ok, false);
  assert.equal(answers.refused.error.code, 'unknown-product');
  assert.equal(answers.fault.error.code, 'invalid-argument');
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});


// Records the page's Worker constructions and its own wasm compiles, before any script runs.
async function watchEngine(page) {
  await page.addInitScript(() => {
    window.__workers = [];
    window.__sent = []; // every message the page posted to a worker
    window.__pageWasm = 0;
    const Original = window.Worker;
    window.Worker = class extends Original {
      constructor(url, options) {
        super(url, options);
        window.__workers.push({ url: String(url), name: options && options.name, worker: this });
      }

      postMessage(message, ...rest) {
        window.__sent.push(message);
        return super.postMessage(message, ...rest);
      }
    };
    for (const name of ['instantiate', 'instantiateStreaming', 'compile', 'compileStreaming']) {
      const original = WebAssembly[name];
      WebAssembly[name] = function counted(...args) { window.__pageWasm += 1; return original.apply(this, args); };
    }
  });
}

test('in the demo the engine runs in its worker: the page compiles no wasm, and the API works through it', async () => {
  const { page, problems, context } = await openPage(shared.browser);
  await watchEngine(page);
  await page.goto(`${shared.demo.origin}/demo/index.html`);
  const state = await page.evaluate(async () => {
    const instance = await CartKeep.ready;
    const { id } = instance.catalog.products()[0];
    const cart = await instance.cart.add(id, 2);
    return { count: cart.count, read: instance.cart.count(), workers: window.__workers.map(({ url, name }) => ({ url, name })),
      pageWasm: window.__pageWasm };
  });
  assert.equal(state.count, 2);
  assert.equal(state.read, 2);
  assert.equal(state.workers.length, 1);
  assert.match(state.workers[0].url, /\/dist\/cartkeep\.worker\.js$/);
  assert.equal(state.workers[0].name, 'cartkeep-engine');
  assert.equal(state.pageWasm, 0, 'no wasm compiled or instantiated on the page');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a worker that cannot start rejects CartKeep.ready with worker-failed; the shop keeps working', async () => {
  const { page, context } = await openPage(shared.browser);
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.route('**/dist/cartkeep.worker.js', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.addInitScript(() => {
    window.__errors = [];
    document.addEventListener('cartkeep:error', (event) => window.__errors.push(event.detail));
  });
  await page.goto(`${shared.demo.origin}/demo/index.html`);
  const outcome = await page.evaluate(() => CartKeep.ready.then(() => ({ resolved: true }), (error) => ({
    resolved: false, code: error.code, name: error.name })));
  assert.deepEqual(outcome, { resolved: false, code: 'worker-failed', name: 'CartKeepError' });
  await page.waitForFunction(() => window.__errors.length > 0);
  assert.equal(await page.evaluate(() => window.__errors[0].code), 'worker-failed');
  assert.ok(await page.locator('.product-card').count() > 0, 'the catalogue still renders');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a malformed message from the worker is dropped with an error event, never thrown into the page', async () => {
  const { page, problems, context } = await openPage(shared.browser);
  await watchEngine(page);
  await page.goto(`${shared.demo.origin}/demo/index.html`);
  const outcome = await page.evaluate(async () => {
    const instance = await CartKeep.ready;
    const errors = [];
    instance.on('error', (detail) => errors.push(detail));
    const { worker } = window.__workers[0];
    for (const data of [{ protocol: 'cartkeep-engine/2', id: 987654, ok: true, value: 1 }, { protocol: 'cartkeep-engine/2', ok: 'maybe' }, 'noise']) {
      worker.dispatchEvent(new MessageEvent('message', { data }));
    }
    const { id } = instance.catalog.products()[0];
    const cart = await instance.cart.add(id, 1); // the engine still answers
    return { errors: errors.map((e) => e.code), count: cart.count };
  });
  assert.deepEqual(outcome.errors, ['internal', 'internal', 'internal']);
  assert.equal(outcome.count, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('without Worker the same engine runs in the page, loaded from the worker script, with the same API', async () => {
  const { page, problems, context } = await openPage(shared.browser);
  await page.addInitScript(() => { delete window.Worker; });
  await page.goto(`${shared.demo.origin}/demo/index.html`);
  const state = await page.evaluate(async () => {
    const instance = await CartKeep.ready;
    const { id } = instance.catalog.products()[0];
    const cart = await instance.cart.add(id, 2);
    const refused = await instance.cart.add(id, 1.5).then(() => null, (error) => error.code);
    return { count: cart.count, refused, worker: typeof window.Worker,
      scripts: [...document.scripts].map((s) => s.src).filter((src) => src.includes('cartkeep')).map((src) => new URL(src).pathname) };
  });
  assert.equal(state.worker, 'undefined');
  assert.equal(state.count, 2);
  assert.equal(state.refused, 'invalid-argument');
  assert.deepEqual(state.scripts, ['/dist/cartkeep.js', '/dist/cartkeep.worker.js']);
  assert.deepEqual(problems, []);
  await context.close();
});

// The engine's death as the browser reports it: the worker is gone and its `error` event says so.
async function killEngine(page, index, message) {
  await page.evaluate(({ index, message }) => {
    const { worker } = window.__workers[index];
    worker.terminate();
    worker.dispatchEvent(new ErrorEvent('error', { message }));
  }, { index, message });
}

test('the worker dies mid-session: a new one starts with the saved cart, later actions work; a second death leaves it read-only', async () => {
  const { page, problems, context } = await openPage(shared.browser);
  await watchEngine(page);
  await page.goto(`${shared.demo.origin}/demo/index.html`);
  const before = await page.evaluate(async () => {
    const instance = await CartKeep.ready;
    window.__engineErrors = [];
    instance.on('error', (detail) => window.__engineErrors.push(detail));
    const [first, second] = instance.catalog.products();
    await instance.cart.add(first.id, 2);
    const cart = await instance.cart.add(second.id, 1);
    return { first: first.id, second: second.id, lines: cart.lines.map((l) => [l.productId, l.quantity]), subtotal: cart.subtotal };
  });
  // Killed the moment the last add is answered, before anything else runs.
  await killEngine(page, 0, 'killed by the test');
  const after = await page.evaluate(async ({ first }) => {
    const instance = await CartKeep.ready;
    const cart = await instance.cart.add(first, 1);
    const badge = document.querySelector('cartkeep-cart-count, [data-cartkeep-count]');
    return { lines: cart.lines.map((l) => [l.productId, l.quantity]), errors: window.__engineErrors, workers: window.__workers.length,
      quote: (await instance.quote()).currency, badge: badge ? badge.textContent : null };
  }, before);
  assert.equal(after.workers, 2, 'a new worker started');
  assert.deepEqual(after.lines, [[before.first, 3], [before.second, 1]]);
  assert.equal(after.errors.length, 1, JSON.stringify(after.errors));
  assert.equal(after.errors[0].code, 'worker-failed');
  assert.equal(after.errors[0].restarted, true);
  assert.match(after.errors[0].message, /killed by the test.*new engine started with the last saved cart/);
  assert.equal(after.quote, 'GBP');

  await killEngine(page, 1, 'killed again');
  const readOnly = await page.evaluate(async ({ first }) => {
    const instance = await CartKeep.ready;
    const refused = await instance.cart.add(first, 1).then(() => null, (error) => error.code);
    return { refused, count: instance.cart.count(), workers: window.__workers.length,
      last: window.__engineErrors.filter((e) => e.source === 'engine').at(-1) };
  }, before);
  assert.equal(readOnly.refused, 'worker-failed');
  assert.equal(readOnly.count, 4, 'reads answer from the last state');
  assert.equal(readOnly.workers, 2, 'no third worker');
  assert.equal(readOnly.last.restarted, false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a burst of pointer moves within one frame is one message to the worker, every sample in it; leaving flushes at once', async () => {
  const { page, problems, context } = await openPage(shared.browser);
  await watchEngine(page);
  await page.goto(`${shared.demo.origin}/demo/index.html`);
  const counts = await page.evaluate(async () => {
    await CartKeep.ready;
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    await frame();
    const moves = () => window.__sent.filter((m) => m.method === 'behaviourMove');
    const sentBefore = moves().length;
    for (let i = 0; i < 30; i += 1) document.dispatchEvent(new MouseEvent('mousemove', { clientX: 400, clientY: 300 - i * 5, bubbles: true }));
    const inTask = moves().length - sentBefore;
    await frame();
    await frame();
    const burst = moves().slice(sentBefore);
    // Moves then the pointer leaving, in one task: the moves go ahead of the leave, both before the next frame.
    const mark = window.__sent.length;
    for (let i = 0; i < 5; i += 1) document.dispatchEvent(new MouseEvent('mousemove', { clientX: 400, clientY: 20 - i * 4, bubbles: true }));
    document.dispatchEvent(new MouseEvent('mouseout', { clientX: 400, clientY: 0, relatedTarget: null, bubbles: true }));
    const leaving = window.__sent.slice(mark).filter((m) => /^behaviour(Move|Out)$/.test(m.method)).map((m) => [m.kind, m.method, (m.calls || []).length]);
    return { inTask, burst: burst.map((m) => [m.kind, m.calls ? m.calls.length : 0, m.calls ? m.calls.map((c) => c[2]) : []]), leaving };
  });
  assert.equal(counts.inTask, 0, 'nothing is sent while the frame is still running');
  assert.equal(counts.burst.length, 1, 'one message for the frame');
  assert.equal(counts.burst[0][0], 'raw-batch');
  assert.equal(counts.burst[0][1], 30, 'every sample of the frame');
  assert.deepEqual(counts.burst[0][2], Array.from({ length: 30 }, (_, i) => 300 - i * 5), 'in order');
  assert.deepEqual(counts.leaving, [['raw-batch', 'behaviourMove', 5], ['raw', 'behaviourOut', 0]]);
  assert.deepEqual(problems, []);
  await context.close();
});

// Records the name of every call the page sends the engine's worker (eventsObserve with its event's name).
function recordCallsToEngine(page) {
  return page.addInitScript(() => {
    window.sentToEngine = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
      window.sentToEngine.push(message.method === 'eventsObserve' ? `eventsObserve:${message.args[0]}` : message.method || message.kind);
      return post.call(this, message, ...rest);
    };
  });
}

// What a page start asks of the engine: the state changes the event stream records nothing for (the save
// status, the suggestions' state, the banner) are not sent to it, nor the page's load timing where the stream
// records none (pages other than cart and checkout).
test('a page start sends the engine no stream event it records nothing for', async () => {
  const { page, problems, context } = await openPage(shared.browser);
  await recordCallsToEngine(page);
  await page.goto(`${shared.demo.origin}/demo/index.html`);
  await page.evaluate(() => CartKeep.ready);
  await waitForAnswer(page, () => window.sentToEngine.includes('suggestStatus'));
  // One more round trip: answered after the suggestions' status, so the events its answer raised are out.
  const sent = await page.evaluate(() => CartKeep.ready.then((store) => store.session.request('cart')).then(() => window.sentToEngine));
  const observed = sent.filter((name) => name.startsWith('eventsObserve:'));
  for (const skipped of ['persistence', 'suggestions-change', 'suggestions-ready', 'banner']) {
    assert.ok(!observed.includes(`eventsObserve:${skipped}`), `${skipped} is not sent: ${observed.join(', ')}`);
  }
  assert.ok(observed.includes('eventsObserve:restore'), 'the restore, which the stream may record, still is');
  assert.ok(!sent.includes('eventsPageTiming'), 'the home page sends no load timing');
  // The cart page's load timing is recorded: it is sent once the load event has ended.
  await page.goto(`${shared.demo.origin}/demo/cart.html`);
  await waitForAnswer(page, () => window.sentToEngine.includes('eventsPageTiming'));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a URL option that is no URL is refused by the worker with its path, as CartKeep.init rejects it', async () => {
  const { page, context } = await openPage(shared.browser);
  await page.goto(`${shared.demo.origin}/demo/index.html`);
  const refusals = await page.evaluate(async () => {
    await CartKeep.ready;
    const catalog = [{ id: 'mug', title: 'Mug', price: 850 }];
    const attempt = (options) => CartKeep.init({ currency: 'GBP', catalog, ...options }).then(
      (store) => { store.destroy(); return 'accepted'; },
      (error) => [error instanceof CartKeep.CartKeepError, error.code, error.path]);
    return [
      await attempt({ events: { endpoint: 'https://collect.example:123456/e' } }),
      await attempt({ persistence: { resumeUrls: { cart: 'http://[' } } }),
      await attempt({ persistence: { resumeUrls: { cart: '/demo/cart.html' } } }),
    ];
  });
  assert.deepEqual(refusals, [
    [true, 'invalid-options', 'options.events.endpoint'],
    [true, 'invalid-options', 'options.persistence.resumeUrls.cart'],
    'accepted',
  ]);
  await context.close();
});
