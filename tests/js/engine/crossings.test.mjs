// How often one shopper action crosses from JS into the wasm core. Every crossing is counted by wrapping the
// bound module's functions (the calls CoreSession and the feature modules make all go through them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initStore } from '../helpers/cartkeep.mjs';

// Wraps each bound function of the instance's module; returns {count(), names(), restore()}.
export function countCrossings(instance) {
  const module = instance.session.module;
  const seen = [];
  const originals = new Map();
  for (const name of Object.keys(module)) {
    const fn = module[name];
    if (typeof fn !== 'function' || name === 'Engine' || !/^[a-z]/.test(name)) continue;
    originals.set(name, fn);
    module[name] = function counted(...args) {
      seen.push(name);
      return fn.apply(this, args);
    };
  }
  return {
    count: () => seen.length,
    names: () => [...seen],
    restore: () => { for (const [name, fn] of originals) module[name] = fn; },
  };
}

test('one add to cart is one call into the core: cart, behaviour, events, suggestions, persistence and the quote', async () => {
  const store = await initStore({ behaviour: { sensors: false } });
  await store.persistence.ready; // the saved cart is in place: from here each change is saved
  await new Promise((resolve) => setTimeout(resolve, 0)); // let start-up tasks settle
  const crossings = countCrossings(store);
  const heard = [];
  store.on('cart-change', ({ action }) => heard.push(action));
  try {
    await store.cart.add('mug');
    assert.deepEqual(crossings.names(), ['cartAction']);
    // Everything the page does next reads the answer: the widgets' quote, the cart and the product they show.
    await store.quote();
    store.catalog.get('mug');
    await store.persistence.queue; // the snapshot the action brought is written
    assert.deepEqual(heard, ['add']);
    const afterSave = crossings.names();
    console.log(`crossings per cart.add: ${afterSave.length} (${afterSave.join(', ')})`);
    // The event stream's closing plan (what the page does if it ends now, when a worker could not be asked)
    // comes with the action's answer: the action carried the stored history for the core to merge.
    assert.deepEqual(afterSave, ['cartAction'], 'written as the core made it');
    assert.match(store.persistence.lastWritten, /"mug"/, 'what was written holds the added mug');
  } finally {
    crossings.restore();
    store.destroy();
  }
});

test('a cart action answers with what each feature made of it', async () => {
  const store = await initStore({ behaviour: { sensors: false } });
  await store.persistence.ready;
  try {
    const update = await store.session.request('cartAction', JSON.stringify({ type: 'add', productId: 'mug', quantity: 2, at: Date.now(), pageMs: 1000, storeNow: store.quote.now() }));
    assert.equal(update.changed, true);
    assert.equal(update.cart.count, 2);
    assert.equal(update.quote.subtotal, update.cart.subtotal, 'the quote is for the cart after the change');
    assert.equal(typeof update.persist.text, 'string', 'the snapshot to store');
    assert.ok(Array.isArray(update.suggest.profile.cartAdds), 'the profile the suggestions learnt');
    assert.ok(Array.isArray(update.behaviour.outputs));
    const again = await store.session.request('cartAction', JSON.stringify({ type: 'remove', productId: 'nothing-here', at: Date.now(), pageMs: 1001 }));
    assert.equal(again.changed, false, 'a change that changes nothing tells no feature');
    assert.equal(again.persist, null);
    await assert.rejects(store.session.request('cartAction', JSON.stringify({ type: 'add', productId: 'mug', at: -5, pageMs: 0 })),
      (error) => error.code === 'invalid-argument' && error.path === 'action.at');
    await assert.rejects(store.session.request('cartAction', JSON.stringify({ type: 'explode', at: 1 })),
      (error) => error.code === 'invalid-argument' && error.path === 'action.type');
  } finally {
    store.destroy();
  }
});

test('quotes are memoised per cart revision and request: widgets asking the same question cross once', async () => {
  const store = await initStore({ behaviour: { sensors: false } });
  await store.cart.add('mug');
  const crossings = countCrossings(store);
  const quotes = () => crossings.names().filter((n) => n === 'quote').length;
  try {
    const first = await store.quote();
    assert.equal(quotes(), 0, 'the cart action brought the plain quote with it');
    first.total = -1; // a caller's copy: changing it changes nothing kept
    const second = await store.quote();
    assert.notEqual(second.total, -1);
    assert.deepEqual(await store.quote(), second);
    await store.quote({ lines: [{ productId: 'lantern', quantity: 2 }] });
    await store.quote({ lines: [{ productId: 'lantern', quantity: 2 }] });
    assert.equal(quotes(), 1, 'another request crosses once');
    await store.cart.add('lantern');
    const third = await store.quote();
    assert.equal(third.subtotal, second.subtotal + 339);
    await store.quote({ lines: [{ productId: 'lantern', quantity: 2 }] });
    assert.equal(quotes(), 2, 'a new revision asks again');
    const before = quotes();
    await store.quote.setPaymentMethod(null);
    assert.equal(quotes(), before + 1, 'a new choice is never answered from the memo');
  } finally {
    crossings.restore();
    store.destroy();
  }
});

test('behaviour\'s decisions reach the event stream inside the core: no eventsObserve carries one back', async () => {
  delete globalThis.dataLayer;
  const store = await initStore({ consent: 'granted', events: { dataLayer: true } });
  await store.tracking.started;
  const announced = [];
  for (const name of ['exit-intent', 'risk', 'nudge-shown', 'nudge-accepted']) store.on(name, () => announced.push(name));
  const crossings = countCrossings(store);
  try {
    await store.cart.add('mug', 2);
    const b = store.behaviour;
    const t0 = performance.now() + 1; // the page's clock, after the cart action's
    await b.observe([t0, 'session', { visitor: 'v', session: 's', epochMs: Date.now() }]);
    await b.observe([t0, 'viewport', 1280, 800, false]);
    await b.observe([t0, 'route', '/cart', '', '']);
    for (let t = 100; t <= 1500; t += 16) await b.move(t0 + t, 600, 500 - (t - 100) / 4);
    const decisions = [];
    b.onDecision = ((announce) => (output) => { decisions.push(output); announce(output); })(b.onDecision);
    await b.out(t0 + 1516, 600, -4);
    const nudge = decisions.find((o) => o.type === 'nudge');
    assert.ok(nudge, 'the exit led to a nudge');
    // The dialog's close: the outcome (nudgeOutcome's call, on this trace's clock), then the instance event.
    await b.observeRaw('behaviourNudge', t0 + 1600, nudge.id, 'accepted');
    store.events.emit('nudge-accepted', { id: nudge.id, rule: nudge.rule });
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(crossings.names().filter((name) => name === 'eventsObserve'), [], 'no decision went back in');
    const pushed = globalThis.dataLayer.map((p) => p.event).filter(Boolean);
    for (const name of ['exit-intent', 'risk', 'nudge-shown', 'nudge-accepted']) {
      const times = announced.filter((n) => n === name).length;
      assert.ok(times >= 1, `${name} announced`);
      const event = `cartkeep_${name.replace(/-/g, '_')}`;
      assert.equal(pushed.filter((n) => n === event).length, times, `${event} recorded once for each ${name}`);
    }
    const accepted = globalThis.dataLayer.find((p) => p.event === 'cartkeep_nudge_accepted');
    assert.equal(accepted.cartkeep.rule, nudge.rule, 'the core knows the rule of the nudge it decided');
  } finally {
    crossings.restore();
    store.destroy();
    delete globalThis.dataLayer;
  }
});

test('a behaviour time the core refuses is a CartKeepError naming the observation, and an error event', async () => {
  const store = await initStore();
  const errors = [];
  store.on('error', (detail) => errors.push(detail));
  try {
    const b = store.behaviour;
    const t0 = performance.now() + 1;
    await b.observe([t0, 'session', { visitor: 'v', session: 's', epochMs: Date.now() }]);
    await b.move(t0 + 10, 5, 5);
    await assert.rejects(b.move(Number.NaN, 5, 5), (error) => error.code === 'invalid-argument' && error.path === 'move.t');
    await assert.rejects(b.tick(t0 + 5), (error) => error.code === 'invalid-argument' && error.path === 'tick.t' && /not before the previous observation's/.test(error.message));
    // A kind read as JSON (cost-preview, progress, ...): the call's own error.
    await assert.rejects(b.observe([t0, 'cost-preview']), (error) => error.code === 'invalid-argument' && error.path === 'observation[0]');
    assert.deepEqual(errors.map(({ code, path, source }) => [code, path, source]),
      [['invalid-argument', 'move.t', 'behaviour'], ['invalid-argument', 'tick.t', 'behaviour']]);
    await b.move(t0 + 20, 6, 6); // the clock goes on from the last time taken
    assert.equal(errors.length, 2);
  } finally {
    store.destroy();
  }
});

test("a widget's standing view is registered once and then rides in each cart action's answer", async () => {
  const store = await initStore({ behaviour: { sensors: false } });
  await store.persistence.ready;
  await new Promise((resolve) => setTimeout(resolve, 0));
  const crossings = countCrossings(store);
  let refreshed = 0;
  const view = store.views.open({ kind: 'quote', request: {} }, () => { refreshed += 1; });
  const link = store.views.open({ kind: 'resume-link' });
  try {
    const before = await view.current();
    assert.equal(before.subtotal, 0);
    assert.deepEqual(crossings.names(), ['viewRegister', 'viewRegister']);
    await store.cart.add('mug', 2);
    const after = await view.current();
    assert.equal(after.subtotal, store.cart.subtotal(), 'the quote of the new cart');
    assert.deepEqual(after, await store.quote(), 'the same quote the action brought');
    assert.match((await link.current()).value, /./, 'the new link');
    assert.deepEqual(crossings.names().slice(2), ['cartAction'], 'no question after the action');
    // A choice made elsewhere reaches the view in one refresh, and tells its widget.
    await store.quote.setDestination({ country: 'FR' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal((await view.current()).destination.country, 'FR');
    assert.equal(refreshed, 1);
    // A closed view is forgotten by the core too: later answers leave it out.
    view.close();
    link.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const update = await store.session.request('cartAction', JSON.stringify({ type: 'add', productId: 'mug', at: Date.now(), pageMs: 2000, storeNow: store.quote.now() }));
    assert.deepEqual(update.views, {});
  } finally {
    crossings.restore();
    store.destroy();
  }
});

test('a standing view of the wrong shape rejects with its path, and one the state fails with its error', async () => {
  const store = await initStore({ behaviour: { sensors: false } });
  try {
    await assert.rejects(store.views.open({ kind: 'suggest', request: { placement: 'nowhere' } }).current(),
      { code: 'invalid-argument', path: 'view.request.placement' });
    await assert.rejects(store.views.open({ kind: 'quote', request: { lines: [{ productId: 'no-such', quantity: 1 }] } }).current(),
      { code: 'unknown-product', path: 'request.lines[0].productId' });
  } finally {
    store.destroy();
  }
});
