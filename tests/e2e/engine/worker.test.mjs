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

