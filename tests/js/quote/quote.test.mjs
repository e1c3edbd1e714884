// instance.quote(): the itemised total, the shopper's choices, messages as text, errors with paths.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CartKeep, wasmBinary } from '../helpers/cartkeep.mjs';
import { ukCatalog, ukQuoteOptions } from '../helpers/quote-store.mjs';

const NOW = '2024-12-02T11:45'; // a Monday, before the 14:00 cut-off

function initUk(extra = {}) {
  return CartKeep.init({ currency: 'GBP', locale: 'en-GB', catalog: ukCatalog, wasmBinary, ...ukQuoteOptions(), ...extra });
}

const sum = (quote) => quote.components.reduce((total, c) => total + c.amount, 0);

test('the quote itemises the cart and the components sum to the total', async () => {
  const store = await initUk();
  await store.cart.add('lantern', 1);
  await store.cart.add('mug', 1);
  const quote = await store.quote({ now: NOW });
  assert.equal(quote.subtotal, 2849);
  assert.equal(quote.shipping, 395);
  assert.equal(quote.total, 2849 + 395);
  assert.equal(sum(quote), quote.total);
  assert.deepEqual(quote.components.map((c) => [c.kind, c.rule]), [
    ['subtotal', 'cart'],
    ['shipping', 'options.shipping.zones[1].methods[0]'],
  ]);
  assert.equal(quote.includedTax[0].rule, 'options.shipping.zones[1].tax.standard');
  assert.equal(store.quote.label(quote.includedTax[0]), 'Includes tax (20%)');
  assert.equal(store.quote.label(quote.components[1]), 'Shipping (Standard)');
  assert.equal(quote.zone.id, 'uk');
  assert.equal(quote.method, 'standard');
  store.destroy();
});

test('a product page quotes given lines without touching the cart', async () => {
  const store = await initUk();
  const quote = await store.quote({ lines: [{ productId: 'lantern', quantity: 1 }], now: NOW });
  assert.equal(quote.total, 1999 + 395);
  assert.equal(store.cart.count(), 0);
  // Intl's own range format (ICU collapses the month where the locale does): "Thu 5 – Fri 6 Dec" or "Thu 5 Dec – Fri 6 Dec".
  assert.match(store.quote.message(quote.delivery.message), /^Arrives Thu 5( Dec)?\s*–\s*Fri 6 Dec$/u);
  assert.match(store.quote.message(quote.delivery.countdown), /^Order within 2 hrs?,? 15 mins? to get it by Thu 5 Dec$/);
  assert.equal(store.quote.message(quote.freeShipping.message), 'Spend £20.01 more for free shipping');
  assert.equal(quote.delivery.why, null, 'before the cut-off on a working day the countdown explains the dates');
  // Ordered on a Sunday: the dates start on a working day, and the shopper is told why.
  const sunday = await store.quote({ lines: [{ productId: 'lantern', quantity: 1 }], now: '2024-12-08T10:00' });
  assert.equal(store.quote.message(sunday.delivery.why),
    'Dispatched Tue 10 Dec: orders after 14:00 or on a non-working day go out from the next working day.');
  store.destroy();
});

test('destination: default, change with an event, validation with a path, not shippable as text', async () => {
  const store = await initUk();
  assert.deepEqual(store.quote.destination(), { country: 'GB', region: '', postcode: '' });
  const changes = [];
  store.on('quote-change', (detail) => changes.push(detail.reason));
  await store.cart.add('mug', 1);
  const islands = await store.quote.setDestination({ country: 'gb', postcode: 'iv2 3ab' });
  assert.equal(islands.zone.id, 'uk-hi');
  assert.equal(islands.shipping, 895);
  assert.deepEqual(changes, ['destination']);
  await assert.rejects(store.quote.setDestination({ country: 'Britain' }), (error) => {
    assert.equal(error.code, 'invalid-argument');
    assert.equal(error.path, 'request.destination.country');
    return true;
  });
  assert.equal(store.quote.destination().postcode, 'iv2 3ab');
  // A postcode that is no UK postcode is refused with its path, and the destination stays as it was.
  await assert.rejects(store.quote.setDestination({ country: 'GB', postcode: 'ZZZ' }), (error) => {
    assert.equal(error.code, 'invalid-argument');
    assert.equal(error.path, 'request.destination.postcode');
    return true;
  });
  assert.equal(store.quote.destination().postcode, 'iv2 3ab');
  const brazil = await store.quote.setDestination({ country: 'BR' });
  assert.equal(brazil.shippable, false);
  assert.equal(store.quote.message(brazil.notShippable.message), "Sorry, we don't deliver to Brazil yet.");
  assert.equal(sum(brazil), brazil.total);
  store.destroy();
});

test('coupons: apply with a reason, keep only applied codes, remove', async () => {
  const store = await initUk();
  await store.cart.add('mug', 1);
  const tooSmall = await store.quote.applyCoupon('welcome10');
  assert.equal(tooSmall.applied, false);
  assert.equal(tooSmall.status, 'min-subtotal');
  assert.equal(tooSmall.message, 'Spend £11.50 more to use WELCOME10.');
  assert.deepEqual(store.quote.coupons(), []);
  const unknown = await store.quote.applyCoupon('<img src=x onerror=alert(1)>');
  assert.equal(unknown.applied, false);
  assert.equal(unknown.message, "<IMG SRC=X ONERROR=ALERT(1)> isn't a valid code."); // plain text, rendered with textContent
  await store.cart.setQuantity('mug', 3);
  const welcome = await store.quote.applyCoupon('WELCOME10');
  assert.equal(welcome.applied, true);
  assert.equal(welcome.message, 'WELCOME10 applied');
  assert.equal(welcome.quote.discount, 255);
  assert.deepEqual(store.quote.coupons(), ['WELCOME10']);
  const freeShip = await store.quote.applyCoupon('FREESHIP');
  assert.equal(freeShip.status, 'not-combinable');
  assert.equal(freeShip.message, "FREESHIP can't be combined with WELCOME10.");
  const after = await store.quote.removeCoupon('welcome10');
  assert.equal(after.discount, 0);
  assert.equal((await store.quote.applyCoupon('FREESHIP')).quote.shipping, 0);
  store.destroy();
});

test('shipping method choice sticks and falls back when unavailable', async () => {
  const store = await initUk();
  await store.cart.add('mug', 1);
  assert.equal((await store.quote.setMethod('express')).shipping, 795);
  await store.cart.add('sofa', 1);
  const quote = await store.quote();
  assert.equal(quote.method, 'standard');
  const express = quote.methods.find((m) => m.id === 'express');
  assert.equal(express.available, false);
  assert.equal(express.reason, 'excluded-products');
  assert.equal(quote.components.find((c) => c.kind === 'surcharge').amount, 2500);
  store.destroy();
});

test('Arabic: strings and amounts in the store locale', async () => {
  const store = await initUk({ locale: 'ar-AE' });
  const quote = await store.quote({ lines: [{ productId: 'mug', quantity: 1 }], now: NOW });
  assert.equal(store.options.direction, 'rtl');
  const text = store.quote.message(quote.freeShipping.message);
  assert.equal(text, `أضف ${store.formatMoney(3150)} لتحصل على شحن مجاني`);
  assert.match(store.quote.message(quote.delivery.message), /^يصل /);
  store.destroy();
});

test('bad quote options reject init with the option path', async () => {
  const options = ukQuoteOptions();
  options.coupons[0].currency = 'EUR';
  await assert.rejects(initUk({ coupons: options.coupons }), (error) => {
    assert.equal(error.code, 'invalid-options');
    assert.equal(error.path, 'options.coupons[0].currency');
    return true;
  });
  const shipping = ukQuoteOptions().shipping;
  shipping.zones[2].methods = [];
  await assert.rejects(initUk({ shipping }), { path: 'options.shipping.zones[2].methods', message: 'options.shipping.zones[2].methods: a zone needs at least one method' });
  await assert.rejects(initUk({ delivery: { timeZone: 'Mars/Olympus' } }), { code: 'invalid-options', path: 'options.delivery.timeZone' });
});

test('the store clock comes from Intl in the store time zone', async () => {
  const { storeNow } = await import('../../../js/quote/store-clock.js');
  assert.equal(storeNow('Europe/London', new Date(Date.UTC(2024, 6, 1, 12, 30))), '2024-07-01T13:30');
  assert.equal(storeNow('Asia/Tokyo', new Date(Date.UTC(2024, 11, 31, 15, 5))), '2025-01-01T00:05');
});

test('quoted lines: NaN, Infinity and text quantities are refused by path, the cart limit holds, duplicates are refused', async () => {
  const store = await initUk();
  const line = (quantity) => ({ lines: [{ productId: 'mug', quantity }], now: NOW });
  for (const quantity of [NaN, Infinity, -Infinity, '2', '0x10', [3], true, 0, 1.5]) {
    await assert.rejects(store.quote(line(quantity)), { name: 'CartKeepError', code: 'invalid-argument', path: 'request.lines[0].quantity' },
      `quantity ${String(quantity)}`);
  }
  assert.equal((await store.quote(line(99))).count, 99);
  await assert.rejects(store.quote(line(100)), { code: 'quantity-limit', path: 'request.lines[0].quantity' });
  await assert.rejects(store.quote({ lines: [{ productId: 'mug', quantity: 1 }, { productId: 'mug', quantity: 2 }], now: NOW }),
    { code: 'invalid-argument', path: 'request.lines[1].productId' });
  store.destroy();
});

test('quote.batch reports each bad request in its own entry and quotes the others', async () => {
  const store = await initUk();
  const good = { lines: [{ productId: 'lantern', quantity: 1 }], now: NOW };
  const out = await store.quote.batch([good, { lines: [{ productId: 'mug', quantity: NaN }], now: NOW }, 'nope',
    { lines: [{ productId: 'mug', quantity: Infinity }], now: NOW }, good]);
  assert.equal(out.length, 5);
  assert.equal(out[0][0], (await store.quote(good)).total);
  assert.deepEqual([out[1].error, out[1].path], ['invalid-argument', 'requests[1].lines[0].quantity']);
  assert.match(out[1].message, /NaN/);
  assert.deepEqual([out[2].error, out[2].path], ['invalid-argument', 'requests[2]']);
  assert.deepEqual([out[3].error, out[3].path], ['invalid-argument', 'requests[3].lines[0].quantity']);
  assert.deepEqual(out[4], out[0]);
  await assert.rejects(store.quote.batch('nope'), { code: 'invalid-argument', path: 'requests' });
  store.destroy();
});

test('actions return promises and run in the order they were made; reads answer at once from the confirmed choices', async () => {
  const store = await initUk();
  await store.cart.add('mug', 3);
  const changes = [];
  store.on('quote-change', (detail) => changes.push([detail.reason, detail.state.destination.postcode, detail.state.coupons]));
  // Made one after another without waiting: each sees the choices the one before it left.
  const express = store.quote.setMethod('express');
  const islands = store.quote.setDestination({ country: 'GB', postcode: 'IV2 3AB' });
  const refused = store.quote.setDestination({ country: 'GB', postcode: 'ZZZ' });
  const coupon = store.quote.applyCoupon('WELCOME10');
  assert.ok(express instanceof Promise && islands instanceof Promise && coupon instanceof Promise);
  assert.equal(store.quote.destination().postcode, '', 'nothing is confirmed before the engine answers');
  assert.equal((await express).method, 'express');
  assert.equal((await islands).zone.id, 'uk-hi');
  assert.equal((await islands).method, 'standard', 'the islands zone has no express: the core falls back');
  await assert.rejects(refused, { code: 'invalid-argument', path: 'request.destination.postcode' });
  const applied = await coupon; // the refused destination did not stop the queue
  assert.equal(applied.applied, true);
  assert.equal(applied.quote.zone.id, 'uk-hi');
  assert.deepEqual(store.quote.state(), { destination: { country: 'GB', region: '', postcode: 'IV2 3AB' }, coupons: ['WELCOME10'], method: 'express', paymentMethod: null });
  assert.deepEqual(changes, [['method', '', []], ['destination', 'IV2 3AB', []], ['coupon', 'IV2 3AB', ['WELCOME10']]]);
  store.destroy();
});

test('the destination saved on an earlier page is in the first quote of the next', async () => {
  const saved = new Map();
  globalThis.localStorage = { getItem: (key) => saved.get(key) ?? null, setItem: (key, value) => saved.set(key, String(value)), removeItem: (key) => saved.delete(key) };
  try {
    const first = await initUk();
    await first.quote.setDestination({ country: 'GB', postcode: 'IV2 3AB' });
    first.destroy();
    const next = await initUk();
    const quote = next.quote({ lines: [{ productId: 'mug', quantity: 1 }], now: NOW }); // asked at once, before anything settles
    await next.quote.ready;
    assert.equal(next.quote.destination().postcode, 'IV2 3AB');
    assert.equal((await quote).zone.id, 'uk-hi');
    next.destroy();
  } finally {
    delete globalThis.localStorage;
  }
});

test('the engine fills the store minute into the calls that leave it out, and keeps one the shop gave', async () => {
  const { withStoreNow } = await import('../../../js/quote/store-clock.js');
  const now = () => '2024-12-02T13:35';
  assert.deepEqual(withStoreNow('quote', ['{}'], now), ['{"now":"2024-12-02T13:35"}']);
  assert.deepEqual(withStoreNow('quote', ['{"now":"2024-12-08T10:00","lines":[]}'], now), ['{"now":"2024-12-08T10:00","lines":[]}']);
  assert.deepEqual(withStoreNow('cartAction', ['{"type":"add","quantity":9007199254740993}'], now),
    ['{"storeNow":"2024-12-02T13:35","type":"add","quantity":9007199254740993}']); // every other value as written
  assert.deepEqual(withStoreNow('viewRegister', ['v1', '{"kind":"quote"}', '{"at":1}'], now),
    ['v1', '{"kind":"quote"}', '{"storeNow":"2024-12-02T13:35","at":1}']);
  assert.deepEqual(withStoreNow('viewsRefresh', ['{"at":1}'], now), ['{"storeNow":"2024-12-02T13:35","at":1}']);
  assert.deepEqual(withStoreNow('persistSave', ['{}', 5], now), ['{}', 5]); // a call without the store's clock
  assert.deepEqual(withStoreNow('quote', ['[1]'], now), ['[1]']); // not a request: the core refuses it by path
});
