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
  store.cart.add('lantern', 1);
  store.cart.add('mug', 1);
  const quote = store.quote({ now: NOW });
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
  const quote = store.quote({ lines: [{ productId: 'lantern', quantity: 1 }], now: NOW });
  assert.equal(quote.total, 1999 + 395);
  assert.equal(store.cart.count(), 0);
  // Intl's own range format (ICU collapses the month where the locale does): "Thu 5 – Fri 6 Dec" or "Thu 5 Dec – Fri 6 Dec".
  assert.match(store.quote.message(quote.delivery.message), /^Arrives Thu 5( Dec)?\s*–\s*Fri 6 Dec$/u);
  assert.match(store.quote.message(quote.delivery.countdown), /^Order within 2 hrs?,? 15 mins? to get it by Thu 5 Dec$/);
  assert.equal(store.quote.message(quote.freeShipping.message), 'Spend £20.01 more for free shipping');
  store.destroy();
});

test('destination: default, change with an event, validation with a path, not shippable as text', async () => {
  const store = await initUk();
  assert.deepEqual(store.quote.destination(), { country: 'GB', region: '', postcode: '' });
  const changes = [];
  store.on('quote-change', (detail) => changes.push(detail.reason));
  store.cart.add('mug', 1);
  const islands = store.quote.setDestination({ country: 'gb', postcode: 'iv2 3ab' });
  assert.equal(islands.zone.id, 'uk-hi');
  assert.equal(islands.shipping, 895);
  assert.deepEqual(changes, ['destination']);
  assert.throws(() => store.quote.setDestination({ country: 'Britain' }), (error) => {
    assert.equal(error.code, 'invalid-argument');
    assert.equal(error.path, 'request.destination.country');
    return true;
  });
  assert.equal(store.quote.destination().postcode, 'iv2 3ab');
  const brazil = store.quote.setDestination({ country: 'BR' });
  assert.equal(brazil.shippable, false);
  assert.equal(store.quote.message(brazil.notShippable.message), "Sorry, we don't deliver to Brazil yet.");
  assert.equal(sum(brazil), brazil.total);
  store.destroy();
});

test('coupons: apply with a reason, keep only applied codes, remove', async () => {
  const store = await initUk();
  store.cart.add('mug', 1);
  const tooSmall = store.quote.applyCoupon('welcome10');
  assert.equal(tooSmall.applied, false);
  assert.equal(tooSmall.status, 'min-subtotal');
  assert.equal(tooSmall.message, 'Spend £11.50 more to use WELCOME10.');
  assert.deepEqual(store.quote.coupons(), []);
  const unknown = store.quote.applyCoupon('<img src=x onerror=alert(1)>');
  assert.equal(unknown.applied, false);
  assert.equal(unknown.message, "<IMG SRC=X ONERROR=ALERT(1)> isn't a valid code."); // plain text, rendered with textContent
  store.cart.setQuantity('mug', 3);
  const welcome = store.quote.applyCoupon('WELCOME10');
  assert.equal(welcome.applied, true);
  assert.equal(welcome.message, 'WELCOME10 applied');
  assert.equal(welcome.quote.discount, 255);
  assert.deepEqual(store.quote.coupons(), ['WELCOME10']);
  const freeShip = store.quote.applyCoupon('FREESHIP');
  assert.equal(freeShip.status, 'not-combinable');
  assert.equal(freeShip.message, "FREESHIP can't be combined with WELCOME10.");
  const after = store.quote.removeCoupon('welcome10');
  assert.equal(after.discount, 0);
  assert.equal(store.quote.applyCoupon('FREESHIP').quote.shipping, 0);
  store.destroy();
});

test('shipping method choice sticks and falls back when unavailable', async () => {
  const store = await initUk();
  store.cart.add('mug', 1);
  assert.equal(store.quote.setMethod('express').shipping, 795);
  store.cart.add('sofa', 1);
  const quote = store.quote();
  assert.equal(quote.method, 'standard');
  const express = quote.methods.find((m) => m.id === 'express');
  assert.equal(express.available, false);
  assert.equal(express.reason, 'excluded-products');
  assert.equal(quote.components.find((c) => c.kind === 'surcharge').amount, 2500);
  store.destroy();
});

test('Arabic: strings and amounts in the store locale', async () => {
  const store = await initUk({ locale: 'ar-AE' });
  const quote = store.quote({ lines: [{ productId: 'mug', quantity: 1 }], now: NOW });
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
  const { storeNow } = await import('../../../js/quote/quote.js');
  assert.equal(storeNow('Europe/London', new Date(Date.UTC(2024, 6, 1, 12, 30))), '2024-07-01T13:30');
  assert.equal(storeNow('Asia/Tokyo', new Date(Date.UTC(2024, 11, 31, 15, 5))), '2025-01-01T00:05');
});
