import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initStore } from '../helpers/cartkeep.mjs';

test('add, setQuantity, remove and clear drive the core cart', async () => {
  const store = await initStore();
  await store.cart.add('lantern');
  await store.cart.add('mug', 2);
  await store.cart.add('lantern', 2);
  assert.deepEqual(store.cart.lines().map((l) => [l.productId, l.quantity, l.lineTotal]),
    [['lantern', 3, 1017], ['mug', 2, 1700]]);
  assert.equal(store.cart.count(), 5);
  assert.equal(store.cart.subtotal(), 2717);
  await store.cart.setQuantity('mug', 1);
  assert.equal(store.cart.subtotal(), 1017 + 850);
  await store.cart.remove('lantern');
  assert.deepEqual(store.cart.lines().map((l) => l.productId), ['mug']);
  await store.cart.clear();
  assert.equal(store.cart.count(), 0);
  store.destroy();
});

test('cart errors are CartKeepErrors and leave the cart as it was', async () => {
  const store = await initStore();
  await store.cart.add('mug', 5);
  const before = store.cart.get();
  await assert.rejects(async () => store.cart.add('mug', 1), { name: 'CartKeepError', code: 'out-of-stock' });
  await assert.rejects(async () => store.cart.add('card', 1), { code: 'out-of-stock' });
  await assert.rejects(async () => store.cart.add('nope', 1), { code: 'unknown-product', path: 'productId' });
  await assert.rejects(async () => store.cart.add('lantern', 1.5), { code: 'invalid-argument', path: 'quantity' });
  await assert.rejects(async () => store.cart.add('lantern', 'lots'), { code: 'invalid-argument' });
  await assert.rejects(async () => store.cart.setQuantity('lantern', -1), { code: 'invalid-argument' });
  await assert.rejects(async () => store.cart.add('lantern', 100), { code: 'quantity-limit' });
  assert.deepEqual(store.cart.get(), before);
  store.destroy();
});

test('cart-change fires once per real change with the new cart', async () => {
  const store = await initStore();
  const seen = [];
  const listener = (detail) => seen.push([detail.action, detail.productId, detail.cart.count]);
  store.on('cart-change', listener);
  await store.cart.add('mug', 2);
  await store.cart.setQuantity('mug', 2); // no change, no event
  await store.cart.remove('lantern'); // not in the cart, no event
  await store.cart.setQuantity('mug', 0);
  store.off('cart-change', listener);
  await store.cart.add('lantern');
  assert.deepEqual(seen, [['add', 'mug', 2], ['set-quantity', 'mug', 0]]);
  store.destroy();
});

test('a throwing listener does not break the cart or other listeners', async () => {
  const store = await initStore();
  let heard = 0;
  store.on('cart-change', () => { throw new Error('merchant bug'); });
  store.on('cart-change', () => { heard += 1; });
  const reported = [];
  const original = globalThis.reportError;
  globalThis.reportError = (error) => reported.push(error.message);
  try {
    await store.cart.add('mug');
  } finally {
    globalThis.reportError = original;
  }
  assert.equal(heard, 1);
  assert.equal(store.cart.count(), 1);
  assert.deepEqual(reported, ['merchant bug']);
  store.destroy();
});

test('returned snapshots are copies', async () => {
  const store = await initStore();
  await store.cart.add('mug');
  const lines = store.cart.lines();
  lines[0].quantity = 99;
  assert.equal(store.cart.lines()[0].quantity, 1);
  const products = store.catalog.products();
  products[0].price = 0;
  assert.equal(store.catalog.get('mug').price, 850);
  store.destroy();
});

test('catalog lookups', async () => {
  const store = await initStore();
  assert.equal(store.catalog.products().length, 3);
  assert.equal(store.catalog.get('lantern').title, 'White Metal Lantern');
  assert.equal(store.catalog.get('lantern').stock, null);
  assert.equal(store.catalog.get('missing'), null);
  store.destroy();
});

test('money is formatted from minor units exactly, per currency exponent and locale', async () => {
  const gbp = await initStore();
  assert.equal(gbp.formatMoney(123456), '£1,234.56');
  assert.equal(gbp.formatMoney(5), '£0.05');
  assert.equal(gbp.formatMoney(-250), '-£2.50');
  assert.equal(gbp.formatMoney(9007199254740991), '£90,071,992,547,409.91');
  gbp.destroy();
  const jpy = await initStore({ currency: 'JPY', catalog: [{ id: 'a', title: 'A', price: 1200 }] });
  assert.equal(jpy.formatMoney(1200), 'JP¥1,200'); // en-GB writes the yen as JP¥
  jpy.destroy();
  const kwd = await initStore({ currency: 'KWD', locale: 'ar-KW', catalog: [{ id: 'a', title: 'A', price: 1500 }] });
  assert.equal(kwd.options.direction, 'rtl');
  assert.match(kwd.formatMoney(1500), /١٫٥٠٠/);
  kwd.destroy();
});

test('one quantity rule: only an integer number passes, whatever Number() would make of the rest', async () => {
  const store = await initStore();
  const before = store.cart.get();
  for (const quantity of ['2', '0x10', [3], true, false, null, NaN, Infinity, -Infinity, 10n, {}]) {
    await assert.rejects(async () => store.cart.add('lantern', quantity), { name: 'CartKeepError', code: 'invalid-argument', path: 'quantity' },
      `add ${String(quantity)}`);
    await assert.rejects(async () => store.cart.setQuantity('lantern', quantity), { code: 'invalid-argument', path: 'quantity' },
      `setQuantity ${String(quantity)}`);
  }
  assert.deepEqual(store.cart.get(), before);
  assert.equal((await store.cart.add('lantern', 2)).count, 2);
  assert.equal((await store.cart.setQuantity('lantern', 3)).count, 3);
  store.destroy();
});
