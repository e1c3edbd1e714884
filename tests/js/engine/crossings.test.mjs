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

test('one add to cart crosses into the core a counted number of times (cart, events, suggestions, behaviour)', async () => {
  const store = await initStore({ behaviour: { sensors: false } });
  await new Promise((resolve) => setTimeout(resolve, 0)); // let start-up tasks settle
  const crossings = countCrossings(store);
  try {
    store.cart.add('mug');
    const names = crossings.names();
    assert.equal(names[0], 'cartAdd');
    // Each name that follows only carries the core's own output back in (see docs/architecture.md).
    assert.ok(names.length <= 4, `crossings per add: ${names.length} (${names.join(', ')})`);
    console.log(`crossings per cart.add: ${names.length} (${names.join(', ')})`);
  } finally {
    crossings.restore();
    store.destroy();
  }
});

test('quotes are memoised per cart revision and request: widgets asking the same question cross once', async () => {
  const store = await initStore({ behaviour: { sensors: false } });
  store.cart.add('mug');
  const crossings = countCrossings(store);
  try {
    const first = store.quote();
    first.total = -1; // a caller's copy: changing it changes nothing kept
    const second = store.quote();
    assert.notEqual(second.total, -1);
    assert.deepEqual(store.quote(), second);
    assert.equal(crossings.names().filter((n) => n === 'quote').length, 1);
    store.cart.add('lantern');
    const third = store.quote();
    assert.equal(third.subtotal, second.subtotal + 339);
    store.quote({ lines: [{ productId: 'lantern', quantity: 2 }] });
    assert.equal(crossings.names().filter((n) => n === 'quote').length, 3, 'a new revision and a new request each cross');
  } finally {
    crossings.restore();
    store.destroy();
  }
});
