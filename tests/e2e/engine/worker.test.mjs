// The engine's worker bundle (dist/cartkeep.worker.js) in real Chromium, under the demo's strict CSP: it loads
// the core next to it and answers the page's messages by the protocol (js/engine/worker-protocol.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage, useDemoBrowser } from '../helpers/browser.mjs';

const shared = useDemoBrowser();

test('the worker loads the core under the strict CSP and answers calls by the protocol', async () => {
  const { page, problems, context } = await openPage(shared.browser);
  const violations = [];
  page.on('console', (message) => { if (/Content Security Policy/.test(message.text())) violations.push(message.text()); });
  const response = await page.goto(`${shared.demo.origin}/demo/index.html`);
  assert.match(response.headers()['content-security-policy'] || '', /script-src 'self' 'wasm-unsafe-eval'/);
  const answers = await page.evaluate(async () => {
    const worker = new Worker('../dist/cartkeep.worker.js', { name: 'cartkeep-engine' });
    const protocol = 'cartkeep-engine/1';
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
      if (!(await answer(id)).value) break;
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
  assert.deepEqual(answers.start, { protocol: 'cartkeep-engine/1', id: 1, ok: true, value: null });
  assert.equal(answers.added.value.cart.count, 3);
  assert.equal(answers.added.value.cart.subtotal, 2550);
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
    window.__pageWasm = 0;
    const Original = window.Worker;
    window.Worker = class extends Original {
      constructor(url, options) {
        super(url, options);
        window.__workers.push({ url: String(url), name: options && options.name, worker: this });
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
    for (const data of [{ protocol: 'cartkeep-engine/1', id: 987654, ok: true, value: 1 }, { protocol: 'cartkeep-engine/1', ok: 'maybe' }, 'noise']) {
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
