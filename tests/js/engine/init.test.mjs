import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CartKeep, initStore, sampleCatalog, wasmBinary } from '../helpers/cartkeep.mjs';

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

// More than 200 products go to the core in slices, and the options in parts, with the page given a turn between
// them (js/engine/api.js).
const bigCatalog = (n) => Array.from({ length: n }, (_, i) => ({ id: `p${i}`, title: `Item ${i}`, price: 100 + i }));

test('a large catalog read in slices: every product, the same errors and paths, other work runs in between', async () => {
  let turns = 0;
  let counting = true;
  const count = () => { if (counting) { turns += 1; setTimeout(count, 0); } };
  setTimeout(count, 0);
  const store = await initStore({ catalog: bigCatalog(650) });
  counting = false;
  assert.equal(store.catalog.products().length, 650);
  assert.equal(store.catalog.get('p649').price, 749);
  await store.cart.add('p600', 2);
  assert.equal(store.cart.subtotal(), 1400);
  // One turn before each of the 4 slices and each of the 6 parts of the options (Engine::initStep), on top of
  // the 2 turns init always gives (after loading, after the core).
  assert.ok(turns >= 12, `timers ran ${turns} times while init read 4 slices and 6 parts`);
  store.destroy();

  const bad = bigCatalog(650);
  bad[521].price = -1;
  await assert.rejects(initStore({ catalog: bad }), {
    name: 'CartKeepError', code: 'invalid-catalog', path: 'catalog[521].price',
    message: 'catalog[521].price: expected a non-negative integer amount in minor units, got -1',
  });
  const duplicate = bigCatalog(650);
  duplicate[430].id = 'p7';
  await assert.rejects(initStore({ catalog: duplicate }), {
    code: 'invalid-catalog', path: 'catalog[430].id', message: 'catalog[430].id: duplicate id "p7" (first at catalog[7])',
  });
});

test('a catalog JSON cannot write (a function) is a missing catalog, as JSON.stringify leaves it out', async () => {
  await assert.rejects(initStore({ catalog: () => sampleCatalog }), {
    code: 'invalid-options', path: 'options.catalog', message: 'options.catalog: required, expected an array of products',
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
  await a.cart.add('mug', 1);
  assert.equal(b.cart.count(), 0, 'two instances keep separate carts');
  assert.equal(a.cart.count(), 1);
  a.destroy();
  b.destroy();
});

test('a destroyed instance refuses further calls', async () => {
  const store = await initStore();
  store.destroy();
  await assert.rejects(async () => store.cart.add('mug', 1), { code: 'destroyed' });
  store.destroy(); // idempotent
});

test('every URL option is parsed at init: one that is not a URL is invalid-options naming it', async () => {
  const cases = [
    [{ nudges: { playbook: [{ offer: { type: 'reassurance', checkoutUrl: 'https://evil.example:99999/x' } }] } },
      'options.nudges.playbook[0].offer.checkoutUrl'],
    [{ persistence: { resumeUrls: { cart: 'http://[' } } }, 'options.persistence.resumeUrls.cart'],
    [{ persistence: { link: { url: 'https://shop.example:70000/' } } }, 'options.persistence.link.url'],
    [{ events: { endpoint: 'https://collect.example:123456/e' } }, 'options.events.endpoint'],
  ];
  cases.push([{ wasmUrl: 'http://[' }, 'options.wasmUrl'], [{ wasmUrl: 7 }, 'options.wasmUrl']);
  for (const [options, path] of cases) {
    await assert.rejects(CartKeep.init({ currency: 'GBP', catalog: sampleCatalog, wasmBinary, ...options }),
      { name: 'CartKeepError', code: 'invalid-options', path }, path);
  }
  const fine = await CartKeep.init({ currency: 'GBP', catalog: sampleCatalog, wasmBinary,
    persistence: { resumeUrls: { cart: '/cart.html', checkout: 'https://shop.example/checkout' } } });
  fine.destroy();
});

test('a text override can be a per-locale map; the store locale, then its language, is taken', async () => {
  const texts = { 'cart.title': { en: 'Basket', ar: 'السلة', 'ar-EG': 'سلتك' }, 'cart.checkout': { en: 'Pay now' } };
  const english = await initStore({ locale: 'en-GB', strings: texts });
  assert.equal(english.options.strings['cart.title'], 'Basket');
  assert.equal(english.options.strings['cart.checkout'], 'Pay now');
  english.destroy();
  const egyptian = await initStore({ locale: 'ar-EG', strings: texts });
  assert.equal(egyptian.options.strings['cart.title'], 'سلتك');
  egyptian.destroy();
  const arabic = await initStore({ locale: 'ar', strings: texts });
  assert.equal(arabic.options.strings['cart.title'], 'السلة');
  // No Arabic entry: the built-in Arabic default stays, not the English override.
  assert.notEqual(arabic.options.strings['cart.checkout'], 'Pay now');
  assert.match(arabic.options.strings['cart.checkout'], /\p{Script=Arabic}/u);
  arabic.destroy();
  await assert.rejects(initStore({ strings: { 'cart.title': { en: 'Basket', ar: 3 } } }),
    { code: 'invalid-options', path: 'options.strings["cart.title"].ar' });
});

test('money in Arabic uses the locale\'s currency display and Arabic-Indic digits', async () => {
  const kuwait = await initStore({ currency: 'KWD', locale: 'ar', catalog: [{ id: 'a', title: 'A', price: 1500 }] });
  assert.equal(kuwait.formatMoney(1500), '\u200f١٫٥٠٠\u00a0د.ك.\u200f');
  kuwait.destroy();
  const latin = await initStore({ currency: 'KWD', locale: 'ar-u-nu-latn', catalog: [{ id: 'a', title: 'A', price: 1500 }] });
  assert.match(latin.formatMoney(1500), /1\.500/);
  latin.destroy();
});
