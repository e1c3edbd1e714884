// One reader of the merchant's page markup (js/platform/page-context.js), one precedence: <body> before
// <html>; the checkout step on <body>/<html>, else the data-cartkeep-step alias anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declaredCheckoutStep, declaredPageType, declaredProduct } from '../../../js/platform/page-context.js';
import { URL_SAFE, randomId } from '../../../js/platform/ids.js';

function element(attributes = {}) {
  return { getAttribute: (name) => (Object.hasOwn(attributes, name) ? attributes[name] : null) };
}

function withPage({ html = {}, body = {}, marked = null, steps = false, search = '' }, fn) {
  const saved = { document: globalThis.document, location: globalThis.location };
  globalThis.document = {
    documentElement: element(html),
    body: element(body),
    querySelector: (selector) => {
      if (selector === '[data-cartkeep-step]' && marked) return element({ 'data-cartkeep-step': marked });
      if (selector === '[data-cartkeep-checkout-step]' && steps) return element({ 'data-cartkeep-checkout-step': 'delivery' });
      return null;
    },
  };
  globalThis.location = { search };
  try {
    return fn();
  } finally {
    globalThis.document = saved.document;
    globalThis.location = saved.location;
  }
}

test('the page type on <body> wins over the one on <html>; either alone is read', () => {
  withPage({ html: { 'data-cartkeep-page': 'home' }, body: { 'data-cartkeep-page': 'product' } }, () => assert.equal(declaredPageType(), 'product'));
  withPage({ html: { 'data-cartkeep-page': 'cart' } }, () => assert.equal(declaredPageType(), 'cart'));
  withPage({ body: { 'data-cartkeep-page': 'checkout' } }, () => assert.equal(declaredPageType(), 'checkout'));
  withPage({}, () => assert.equal(declaredPageType(), ''));
  withPage({ steps: true }, () => assert.equal(declaredPageType(), 'checkout'));
  withPage({ steps: true, body: { 'data-cartkeep-page': 'cart' } }, () => assert.equal(declaredPageType(), 'cart'));
});

test('the product comes from the markup first, else from the configured URL parameter', () => {
  const options = { pages: { productParam: 'id' } };
  withPage({ body: { 'data-cartkeep-product': 'mug' }, search: '?id=lantern' }, () => assert.equal(declaredProduct(options), 'mug'));
  withPage({ search: '?id=lantern' }, () => assert.equal(declaredProduct(options), 'lantern'));
  withPage({ search: '?id=lantern' }, () => assert.equal(declaredProduct({}), ''));
});

test('the checkout step: data-cartkeep-checkout-step on <body>/<html>, else the data-cartkeep-step alias, else none', () => {
  withPage({ body: { 'data-cartkeep-checkout-step': 'payment' }, marked: 'delivery' }, () => assert.equal(declaredCheckoutStep(), 'payment'));
  withPage({ html: { 'data-cartkeep-checkout-step': 'address' } }, () => assert.equal(declaredCheckoutStep(), 'address'));
  withPage({ marked: 'delivery' }, () => assert.equal(declaredCheckoutStep(), 'delivery'));
  withPage({}, () => assert.equal(declaredCheckoutStep(), null));
});

test('random ids have the requested length and only characters of their alphabet', () => {
  const ids = new Set();
  for (let i = 0; i < 200; i += 1) {
    const id = randomId(20);
    assert.match(id, /^[a-z2-7]{20}$/); // the core's page ids: a-z 0-9
    ids.add(id);
  }
  assert.equal(ids.size, 200);
  assert.match(randomId(16, URL_SAFE), /^[A-Za-z0-9_-]{16}$/);
});
