// The page <-> engine worker protocol (js/engine/worker-*.js), run over a MessageChannel in Node with the real
// core: answers match the in-thread session's, errors keep their code and path, malformed messages are dropped
// and reported on both sides, a frame's pointer samples cross as one message, a dead worker is replaced once
// (the cart restored from its saved snapshot) and after a second death every call fails with worker-failed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CoreSession } from '../../../js/engine/core-session.js';
import { loadCore } from '../../../js/engine/loader.js';
import { serveEngine } from '../../../js/engine/worker-host.js';
import { WorkerSession } from '../../../js/engine/worker-session.js';
import { PROTOCOL, readAnswer, readRequest } from '../../../js/engine/worker-protocol.js';
import { sampleCatalog, wasmBinary } from '../helpers/cartkeep.mjs';
import { killEngine, workerApi } from '../helpers/worker-engine.mjs';

const options = JSON.stringify({ currency: 'GBP', locale: 'en-GB', catalog: [{ id: 'mug', title: 'Mug', price: 850, stock: 3 }] });

// A worker stand-in: the host on one port, the page's session on the other.
function pair() {
  const { port1, port2 } = new MessageChannel();
  serveEngine(port1, () => loadCore({ wasmBinary }));
  port1.start();
  port2.start();
  port2.terminate = () => { port2.close(); port1.close(); };
  const faults = [];
  const session = new WorkerSession(port2, { onFault: (error) => faults.push(error) });
  return { session, faults, hostPort: port1, pagePort: port2 };
}

async function initialise(session) {
  await session.request('initBegin', options);
  while (await session.request('initStep'));
  return session.request('initFinish');
}

test('calls through the worker protocol answer as the in-thread session does', async () => {
  const { session } = pair();
  await session.send({ kind: 'start', wasmUrl: 'unused' });
  await initialise(session);
  const local = new CoreSession(await loadCore({ wasmBinary }));
  await initialise(local);
  const action = JSON.stringify({ type: 'add', productId: 'mug', quantity: 2, at: 1700000000000, pageMs: 10 });
  const [remote, here] = [await session.request('cartAction', action), await local.request('cartAction', action)];
  assert.equal(remote.cart.count, 2);
  assert.deepEqual(remote.cart, here.cart);
  assert.deepEqual(await session.request('quote', JSON.stringify({ now: '2024-12-02T13:35' })),
    await local.request('quote', JSON.stringify({ now: '2024-12-02T13:35' })));
  assert.equal(typeof await session.rawRequest('behaviourTick', 1000), 'number');
  local.dispose();
  session.dispose();
});

test("a call's answer crosses as the core's JSON text, parsed by the page; text that is not JSON rejects the call", async () => {
  const { session, pagePort, hostPort } = pair();
  const answers = [];
  pagePort.addEventListener('message', (event) => answers.push(event.data));
  await session.send({ kind: 'start', wasmUrl: 'unused' });
  await initialise(session);
  const cart = await session.request('cart');
  const crossed = answers.at(-1);
  assert.equal(typeof crossed.json, 'string');
  assert.equal(crossed.value, undefined);
  assert.deepEqual(JSON.parse(crossed.json), cart);
  // An answer to the next id, sent before the host's own (which then answers no request).
  const pending = session.request('cart');
  hostPort.postMessage({ protocol: PROTOCOL, id: crossed.id + 1, ok: true, json: '{"count":' });
  await assert.rejects(pending, (error) => error.code === 'internal' && /cart/.test(error.message));
  session.dispose();
});

test('a core error crosses as a CartKeepError with its code and path', async () => {
  const { session } = pair();
  await session.send({ kind: 'start', wasmUrl: 'unused' });
  await initialise(session);
  const action = JSON.stringify({ type: 'add', productId: 'mug', quantity: 1.5, at: 1700000000000, pageMs: 10 });
  await assert.rejects(session.request('cartAction', action), (error) => {
    assert.equal(error.name, 'CartKeepError');
    assert.equal(error.code, 'invalid-argument');
    assert.match(error.path, /quantity/);
    return true;
  });
  await assert.rejects(session.request('noSuchCall'), (error) => error.code === 'invalid-argument' && error.path === 'method');
  session.dispose();
});

test('a call before start is refused, not run', async () => {
  const { session } = pair();
  await assert.rejects(session.request('cart'), (error) => error.code === 'not-initialised');
  session.dispose();
});

test('malformed messages are dropped with a reason; the worker keeps serving', async () => {
  const { session, faults, pagePort } = pair();
  const answers = [];
  pagePort.addEventListener('message', (event) => answers.push(event.data));
  for (const bad of [null, 'text', { protocol: 'cartkeep-engine/0', id: 1, kind: 'call', method: 'cart', args: [] },
    { protocol: PROTOCOL, id: -1, kind: 'call', method: 'cart', args: [] }]) pagePort.postMessage(bad);
  pagePort.postMessage({ protocol: PROTOCOL, id: 900, kind: 'call', method: 'Engine', args: [] });
  pagePort.postMessage({ protocol: PROTOCOL, id: 901, kind: 'call', method: 'cart', args: [{ object: true }] });
  pagePort.postMessage({ protocol: PROTOCOL, id: 902, kind: 'explode' });
  await session.send({ kind: 'start', wasmUrl: 'unused' });
  await initialise(session);
  assert.equal((await session.request('cart')).count, 0);
  const refusals = answers.filter((a) => a.ok === false).map((a) => a.error.message);
  assert.ok(refusals.some((m) => /method is not a core function name/.test(m)), refusals.join('; '));
  assert.ok(refusals.some((m) => /args are not strings, numbers, booleans and bytes/.test(m)), refusals.join('; '));
  assert.ok(refusals.some((m) => /unknown message kind "explode"/.test(m)), refusals.join('; '));
  assert.equal(answers.filter((a) => a.kind === 'fault').length, 4);
  // The session reports the faults and the answers to ids it never sent, and resolves nothing with them.
  assert.ok(faults.length >= 7, `${faults.length} faults`);
  assert.ok(faults.every((f) => f.name === 'CartKeepError'));
  session.dispose();
});

test('an answer that is not well-formed never settles a request', async () => {
  const { session, faults, hostPort } = pair();
  const pending = session.send({ kind: 'start', wasmUrl: 'unused' });
  hostPort.postMessage({ protocol: PROTOCOL, id: 1, ok: 'yes', value: 1 });
  hostPort.postMessage({ protocol: PROTOCOL, id: 1, ok: false, error: { code: 7 } });
  assert.equal(await pending, null); // the host's real answer
  assert.equal(faults.length, 2);
  session.dispose();
});

test('a worker that dies fails every pending request and every later one with worker-failed', async () => {
  const { session, faults } = pair();
  await session.send({ kind: 'start', wasmUrl: 'unused' });
  const pending = session.request('initBegin', options);
  session.fail('the engine stopped');
  await assert.rejects(pending, (error) => error.code === 'worker-failed');
  await assert.rejects(session.request('cart'), (error) => error.code === 'worker-failed');
  assert.equal(faults.at(-1).code, 'worker-failed');
  session.dispose();
});

test('a raw-batch runs the pointer-path function on every sample, in order, and answers as the calls one by one', async () => {
  const { session } = pair();
  await session.send({ kind: 'start', wasmUrl: 'unused' });
  await initialise(session);
  const local = new CoreSession(await loadCore({ wasmBinary }));
  await initialise(local);
  await session.request('behaviourSession', 0, JSON.stringify({ visitor: 'v', session: 's', epochMs: 1700000000000, stored: null, hidden: false, anonymous: true }));
  await local.request('behaviourSession', 0, JSON.stringify({ visitor: 'v', session: 's', epochMs: 1700000000000, stored: null, hidden: false, anonymous: true }));
  // A pointer that dwells low on the page, then climbs fast to the top edge and leaves.
  const samples = [];
  for (let i = 0; i < 40; i += 1) samples.push([6000 + i * 16, 500, 600]);
  for (let i = 0; i < 12; i += 1) samples.push([6700 + i * 8, 500, 600 - i * 50]);
  const batched = await session.rawBatchRequest('behaviourMove', samples);
  let oneByOne = 0;
  for (const args of samples) oneByOne = Math.max(oneByOne, await local.rawRequest('behaviourMove', ...args));
  assert.equal(batched, oneByOne);
  assert.equal(await session.rawRequest('behaviourOut', 6800, 500, -1), await local.rawRequest('behaviourOut', 6800, 500, -1));
  // The decisions alone (the event stream records nothing of a drain with record false).
  const [remote, here] = [await session.request('behaviourDrain', 0, false), await local.request('behaviourDrain', 0, false)];
  assert.deepEqual(remote, here);
  assert.ok(here.outputs.some((output) => output.type === 'exit-intent'), JSON.stringify(here));
  assert.deepEqual(await session.request('behaviourSummary', 6900), await local.request('behaviourSummary', 6900));
  local.dispose();
  session.dispose();
});

test('readRequest and readAnswer accept exactly the protocol', () => {
  assert.deepEqual(readRequest({ protocol: PROTOCOL, id: 4, kind: 'raw-batch', method: 'behaviourMove', calls: [[1, 2, 3], [4, 5, 6]] }).request,
    { id: 4, kind: 'raw-batch', method: 'behaviourMove', calls: [[1, 2, 3], [4, 5, 6]] });
  assert.match(readRequest({ protocol: PROTOCOL, id: 4, kind: 'raw-batch', method: 'behaviourMove', calls: [1, 2] }).problem, /calls/);
  assert.match(readRequest({ protocol: PROTOCOL, id: 4, kind: 'raw-batch', method: 'behaviourMove', calls: [[{}]] }).problem, /calls/);
  assert.match(readRequest({ protocol: PROTOCOL, id: 4, kind: 'raw-batch', method: 'behaviourMove', calls: Array(1001).fill([1, 2, 3]) }).problem, /calls/);
  assert.deepEqual(readRequest({ protocol: PROTOCOL, id: 3, kind: 'raw', method: 'behaviourTick', args: [1, true, 'x'] }).request,
    { id: 3, kind: 'raw', method: 'behaviourTick', args: [1, true, 'x'] });
  assert.match(readRequest({ protocol: PROTOCOL, id: 3, kind: 'call', method: '__proto__', args: [] }).problem, /method/);
  const file = { url: 'https://shop.example/index.bin', code: 'index-load-failed', path: 'suggestions.index' };
  assert.deepEqual(readRequest({ protocol: PROTOCOL, id: 5, kind: 'call-file', method: 'suggestLoadIndex', file }).request,
    { id: 5, kind: 'call-file', method: 'suggestLoadIndex', file });
  assert.match(readRequest({ protocol: PROTOCOL, id: 5, kind: 'call-file', method: 'suggestLoadIndex', file: { ...file, url: 4 } }).problem, /file/);
  assert.match(readRequest({ protocol: PROTOCOL, id: 5, kind: 'call-file', method: 'suggestLoadIndex', file: { ...file, code: 'Not A Code' } }).problem, /file/);
  assert.match(readRequest({ protocol: PROTOCOL, id: 5, kind: 'call-file', method: 'constructor()', file }).problem, /method/);
  assert.match(readRequest({ protocol: PROTOCOL, id: 3, kind: 'call', method: 'cart', args: [Number.NaN] }).problem, /args/);
  assert.match(readRequest({ protocol: PROTOCOL, id: 1.5, kind: 'call' }).problem, /id/);
  assert.equal(readAnswer({ protocol: PROTOCOL, id: 2, ok: true, value: { a: 1 } }).value.a, 1);
  assert.deepEqual(readAnswer({ protocol: PROTOCOL, id: 2, ok: true, json: '{"a":1}' }), { id: 2, json: '{"a":1}', texts: undefined });
  assert.deepEqual(readAnswer({ protocol: PROTOCOL, id: 2, ok: true, json: '{"a":1}', texts: { 'en|{"country":"FR"}': 'France' } }).texts,
    { 'en|{"country":"FR"}': 'France' });
  assert.equal(readAnswer({ protocol: PROTOCOL, id: 2, ok: true, json: { a: 1 } }), null);
  assert.equal(readAnswer({ protocol: PROTOCOL, id: 2, ok: false, error: { code: 'x', message: 'y', path: 3 } }), null);
  assert.equal(readAnswer({ protocol: PROTOCOL, kind: 'fault', error: { code: 'x' } }), null);
  assert.equal(readAnswer({ id: 2, ok: true }), null);
});

// The whole API over the protocol: a worker that dies is replaced once with the saved cart, then stays dead.
const overChannel = workerApi(wasmBinary);
const errorsOf = (store) => {
  const errors = [];
  store.on('error', (detail) => errors.push(detail));
  return errors;
};
const until = async (check) => { while (!check()) await new Promise((resolve) => setTimeout(resolve, 1)); };

test('a worker that dies mid-session is restarted once: the cart keeps its lines and later actions work', async () => {
  const store = await overChannel.init({ currency: 'GBP', locale: 'en-GB', catalog: sampleCatalog, wasmBinary, consent: 'granted' });
  const errors = errorsOf(store);
  await store.cart.add('mug', 2);
  await store.cart.add('lantern', 1);
  await store.quote.choose?.({ destination: { country: 'GB' } }).catch(() => {});
  const before = store.cart.get();
  const firstWorker = store.session.worker;
  killEngine(store, 'the test killed it');
  // An action made while the new engine starts waits for it, and lands on the restored cart.
  const added = await store.cart.add('mug', 1);
  assert.notEqual(store.session.worker, firstWorker);
  assert.deepEqual(added.lines.map((l) => [l.productId, l.quantity]), [['mug', 3], ['lantern', 1]]);
  assert.equal(added.subtotal, before.subtotal + 850);
  await until(() => errors.length > 0);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'worker-failed');
  assert.equal(errors[0].source, 'engine');
  assert.equal(errors[0].restarted, true);
  assert.match(errors[0].message, /the test killed it.*new engine started with the last saved cart/);
  // The options and consent came back with the replayed set-up.
  assert.equal(store.consent.get().state, 'granted');
  assert.equal(store.formatMoney(850), '£8.50');
  assert.equal((await store.quote()).currency, 'GBP');
  await store.cart.remove('lantern');
  assert.equal(store.cart.count(), 3);

  // A second death: no new engine; reads answer from the last state, actions reject with worker-failed.
  killEngine(store, 'killed again');
  await assert.rejects(store.cart.add('mug', 1), (error) => error.code === 'worker-failed' && /read-only/.test(error.message));
  assert.equal(store.cart.count(), 3);
  assert.deepEqual(store.cart.lines().map((l) => [l.productId, l.quantity]), [['mug', 3]]);
  assert.equal(errors.at(-1).code, 'worker-failed');
  assert.equal(errors.at(-1).restarted, false);
  store.destroy();
});

test('a call pending when the worker dies is answered by the restarted engine, once', async () => {
  const store = await overChannel.init({ currency: 'GBP', locale: 'en-GB', catalog: sampleCatalog, wasmBinary });
  const errors = errorsOf(store);
  await store.cart.add('mug', 1);
  const pending = store.cart.add('lantern', 1);
  killEngine(store);
  assert.deepEqual((await pending).lines.map((l) => [l.productId, l.quantity]), [['mug', 1], ['lantern', 1]]);
  assert.deepEqual((await store.cart.add('lantern', 2)).lines.map((l) => [l.productId, l.quantity]), [['mug', 1], ['lantern', 3]]);
  assert.deepEqual(errors.map((e) => [e.code, e.restarted]), [['worker-failed', true]]);
  store.destroy();
});

test('init is one message: the engine reads the catalog and answers it as JSON text, which the page parses on its first read', async () => {
  const { session } = pair();
  await session.send({ kind: 'start', wasmUrl: 'unused' });
  const big = Array.from({ length: 450 }, (_, i) => ({ id: `p${i}`, title: `Item ${i}`, price: 100 + i }));
  const { options: normalised, productsJson } = await session.init({ optionsJson: JSON.stringify({ currency: 'GBP', locale: 'en-GB' }), catalog: big });
  assert.equal(normalised.currency, 'GBP');
  assert.equal(typeof productsJson, 'string');
  assert.deepEqual(JSON.parse(productsJson), await session.request('products'));
  assert.equal(JSON.parse(productsJson).length, 450);
  // The same errors as any init: a product's path counts across the slices the engine makes.
  big[321].price = -1;
  await assert.rejects(session.init({ optionsJson: '{"currency":"GBP"}', catalog: big }),
    { code: 'invalid-catalog', path: 'catalog[321].price' });
  await assert.rejects(session.init({ optionsJson: '{"currency":"GBP"}' }), { code: 'invalid-options', path: 'options.catalog' });
  session.dispose();
});

test('a catalog holding what a worker cannot receive (a function) goes as JSON would make of it', async () => {
  const catalog = sampleCatalog.map((product) => ({ ...product, describe() { return this.title; } }));
  const store = await overChannel.init({ currency: 'GBP', locale: 'en-GB', catalog, wasmBinary });
  assert.equal(store.catalog.products().length, sampleCatalog.length);
  assert.equal(store.catalog.get('mug').title, 'Enamel Mug');
  store.destroy();
});

test('a malformed init message is refused with a reason', () => {
  assert.match(readRequest({ protocol: PROTOCOL, id: 5, kind: 'init', init: { optionsJson: ['{'] } }).problem, /init is malformed/);
  assert.match(readRequest({ protocol: PROTOCOL, id: 5, kind: 'init', init: { optionsJson: '{}', baseUrl: 7 } }).problem, /init is malformed/);
  assert.deepEqual(readRequest({ protocol: PROTOCOL, id: 5, kind: 'init', init: { optionsJson: '{}', catalog: 'c.json', baseUrl: 'https://shop.example/' } }).request,
    { id: 5, kind: 'init', init: { optionsJson: '{}', catalog: 'c.json', baseUrl: 'https://shop.example/' } });
});
