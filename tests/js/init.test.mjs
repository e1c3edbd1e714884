import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CartKeep, initStore, sampleCatalog, wasmBinary } from './helpers/cartkeep.mjs';

test('init returns an instance with normalised options', async () => {
  const store = await initStore();
  assert.equal(store.options.currency, 'GBP');
  assert.equal(store.options.currencyExponent, 2);
  assert.equal(store.options.direction, 'ltr');
  assert.equal(store.options.strings['cart.title'], 'Your cart');
  store.destroy();
});

test('ready resolves with the first instance', async () => {
  const store = await initStore();
  const first = await CartKeep.ready;
  assert.ok(first && typeof first.cart.add === 'function');
  store.destroy();
});

test('a malformed catalog rejects init with a CartKeepError naming the path', async () => {
  const catalog = sampleCatalog.map((p) => ({ ...p }));
  catalog[2].price = -42;
  await assert.rejects(initStore({ catalog }), (error) => {
    assert.ok(error instanceof CartKeep.CartKeepError);
    assert.equal(error.name, 'CartKeepError');
    assert.equal(error.code, 'invalid-catalog');
    assert.equal(error.path, 'catalog[2].price');
    assert.equal(error.message, 'catalog[2].price: expected a non-negative integer amount in minor units, got -42');
    return true;
  });
});

test('malformed options reject init with the option path', async () => {
  const cases = [
    [{ currency: 'POUND' }, 'invalid-options', 'options.currency'],
    [{ cart: { maxQuantityPerLine: 'ten' } }, 'invalid-options', 'options.cart.maxQuantityPerLine'],
    [{ curency: 'GBP' }, 'invalid-options', 'options.curency'],
    [{ strings: { 'cart.titel': 'Basket' } }, 'invalid-options', 'options.strings["cart.titel"]'],
    [{ locateFile: 'cartkeep.wasm' }, 'invalid-options', 'options.locateFile'],
  ];
  for (const [override, code, path] of cases) {
    await assert.rejects(initStore(override), (error) => {
      assert.equal(error.code, code, JSON.stringify(override));
      assert.equal(error.path, path);
      return true;
    });
  }
  await assert.rejects(CartKeep.init(null), { code: 'invalid-options', path: 'options' });
  await assert.rejects(CartKeep.init({ currency: 'GBP', catalog: [], wasmBinary, big: 10n }), { code: 'invalid-options' });
});

test('wasm bytes that are not a module reject with wasm-load-failed', async () => {
  await assert.rejects(
    CartKeep.init({ currency: 'GBP', catalog: [], wasmBinary: new Uint8Array([0, 1, 2, 3]) }),
    (error) => error instanceof CartKeep.CartKeepError && error.code === 'wasm-load-failed',
  );
  // The failure is not cached: a later init with good bytes works.
  const store = await initStore();
  store.destroy();
});

test('the module promise is cached per wasm source', async () => {
  const a = await initStore();
  const b = await initStore();
  a.cart.add('mug', 1);
  assert.equal(b.cart.count(), 0, 'two instances keep separate carts');
  assert.equal(a.cart.count(), 1);
  a.destroy();
  b.destroy();
});

test('a destroyed instance refuses further calls', async () => {
  const store = await initStore();
  store.destroy();
  assert.throws(() => store.cart.add('mug', 1), { code: 'destroyed' });
  store.destroy(); // idempotent
});
