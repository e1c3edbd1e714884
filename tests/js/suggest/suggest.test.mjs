// instance.suggest against the built dist/: the index from bytes and from a URL, every placement, the
// profile (views with dwell, cart adds, purchases) kept in localStorage, bad input falling back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, beforeEach, test } from 'node:test';
import { CartKeep, wasmBinary } from '../helpers/cartkeep.mjs';

const fixtures = new URL('../../fixtures/suggest/', import.meta.url);
const catalog = JSON.parse(readFileSync(new URL('tiny-catalog.json', fixtures), 'utf8'));
const indexBytes = new Uint8Array(readFileSync(new URL('tiny-index.bin', fixtures)));

// A Map-backed localStorage, as the browser has (Node does not).
class MemoryStorage {
  constructor() { this.map = new Map(); }
  getItem(key) { return this.map.has(key) ? this.map.get(key) : null; }
  setItem(key, value) { this.map.set(key, String(value)); }
  removeItem(key) { this.map.delete(key); }
  clear() { this.map.clear(); }
  key(index) { return [...this.map.keys()][index] ?? null; }
  get length() { return this.map.size; }
}

let server;
let origin;
const served = { hits: 0 };
before(async () => {
  server = createServer((request, response) => {
    served.hits += 1;
    if (request.url === '/index.bin') response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(indexBytes);
    else if (request.url === '/html.bin') response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>Not found</p>');
    else response.writeHead(404).end('missing');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  globalThis.localStorage = new MemoryStorage();
});

function store(options = {}) {
  return CartKeep.init({ currency: 'GBP', locale: 'en-GB', catalog, wasmBinary, ...options });
}

async function indexed(options = {}) {
  const instance = await store(options);
  await instance.suggest.loadIndex(indexBytes);
  return instance;
}

const ids = (result) => result.items.map((item) => item.productId);

test('without an index: popularity fallback from the catalog order, status says so', async () => {
  const shop = await store();
  assert.equal(typeof shop.suggest, 'function');
  const status = await shop.suggest.ready;
  assert.equal(status.source, 'popularity');
  assert.equal(status.index, null);
  const result = await shop.suggest({ placement: 'picked-for-you', limit: 3 });
  assert.equal(result.source, 'popularity');
  assert.equal(result.title, 'Picked for you');
  assert.equal(result.items.length, 3);
  assert.equal(result.items[0].reason.code, 'featured');
  assert.equal(shop.options.suggestions.limit, 8);
  shop.destroy();
});

test('with the index: bought together, exact prices, a reason naming the product', async () => {
  const shop = await indexed();
  const status = await shop.suggest.status();
  assert.equal(status.source, 'index');
  assert.equal(status.index.items, 9);
  assert.equal(status.index.matched, 9);
  assert.equal(status.index.catalogVersion, 'tiny-1');
  const result = await shop.suggest({ placement: 'bought-together', productId: '22697', limit: 4 });
  assert.equal(result.source, 'index');
  assert.deepEqual(ids(result).slice(0, 2), ['22423', '21212']);
  assert.ok(!ids(result).includes('22699'), 'out of stock is never suggested');
  const [first] = result.items;
  assert.equal(first.price, 1275);
  assert.ok(Number.isSafeInteger(first.price));
  assert.equal(first.url, 'product.html?id=22423');
  assert.deepEqual(first.reason, { code: 'bought-together', text: 'Often bought with Green Regency Teacup and Saucer', productId: '22697',
    message: { key: 'suggest.reason.bought-together', values: { title: 'Green Regency Teacup and Saucer' } } });
  shop.destroy();
});

test('complete your order follows the cart; cart adds are remembered', async () => {
  const shop = await indexed();
  await shop.cart.add('85123A');
  assert.deepEqual(ids(await shop.suggest({ placement: 'complete-order', limit: 3 })), ['71053', '84406B', '84029G']);
  assert.deepEqual((await shop.suggest.profile()).cartAdds.map(([id]) => id), ['85123A']);
  await shop.cart.add('71053');
  assert.ok(!ids(await shop.suggest({ placement: 'complete-order' })).includes('71053'));
  shop.destroy();
});

test('views with dwell personalise "picked for you" and fill "recently viewed"', async () => {
  const shop = await indexed();
  const changes = [];
  shop.on('suggestions-change', (detail) => changes.push(detail.cause));
  assert.equal((await shop.suggest({ placement: 'picked-for-you', limit: 1 })).items[0].reason.code, 'popular');
  await shop.suggest.view('22697', { dwellMs: 40000 });
  await shop.suggest.view('85123A', { dwellMs: 2000 });
  assert.deepEqual(changes, ['profile', 'profile']);
  const picked = await shop.suggest({ placement: 'picked-for-you', limit: 2 });
  assert.equal(picked.items[0].productId, '22423');
  assert.equal(picked.items[0].reason.text, 'Because you viewed Green Regency Teacup and Saucer');
  assert.deepEqual(ids(await shop.suggest({ placement: 'recently-viewed' })), ['85123A', '22697']);
  assert.deepEqual(ids(await shop.suggest({ placement: 'recently-viewed', productId: '85123A' })), ['22697']);
  await assert.rejects(shop.suggest.view('NOPE'), { code: 'unknown-product', path: 'event.productId' });
  shop.destroy();
});

test('replaying a log: events carry their own time, suggest() defaults now to the last one until a live event', async () => {
  const shop = await indexed();
  const at = Date.UTC(2011, 8, 20, 10, 0); // a view from a log in 2011: long past the 72-hour half-life today
  await shop.suggest.view({ productId: '22697', dwellMs: 40000, at });
  const replayed = await shop.suggest({ placement: 'picked-for-you', limit: 1 });
  assert.equal(replayed.items[0].productId, '22423');
  assert.equal(replayed.items[0].reason.code, 'viewed');
  // The same view judged today has decayed away: only popularity is left.
  const today = await shop.suggest({ placement: 'picked-for-you', limit: 1, now: Date.now() });
  assert.equal(today.items[0].reason.code, 'popular');
  // Each replayed event moves the default: a view a week later still ranks as just seen.
  await shop.suggest.forget();
  await shop.suggest.view({ productId: '22697', dwellMs: 40000, at: at + 7 * 86400000 });
  assert.equal((await shop.suggest({ placement: 'picked-for-you', limit: 1 })).items[0].reason.code, 'viewed');
  // A live event (no `at`) ends the replay: the 2011 view is judged today again.
  await shop.suggest.view({ productId: '85123A', dwellMs: 0 });
  const live = await shop.suggest({ placement: 'picked-for-you', limit: 3 });
  assert.ok(live.items.every((item) => item.reason.productId !== '22697'), JSON.stringify(live.items.map((i) => i.reason)));
  shop.destroy();
});

test('free-shipping gap filler: an explicit gap, or the quote engine\'s own', async () => {
  const shipping = {
    defaultDestination: { country: 'GB' },
    zones: [{ id: 'uk', name: 'UK', countries: ['GB'], methods: [{ id: 'standard', name: 'Standard', rate: { type: 'flat', amount: 395 }, freeAbove: 600 }] }],
  };
  const plain = await indexed();
  await plain.cart.add('85123A');
  const explicit = await plain.suggest({ placement: 'free-shipping', gap: 300 });
  assert.equal(explicit.gap, 300);
  assert.deepEqual(ids(explicit), ['71053', '84029G', '47566']);
  assert.ok(explicit.items.every((item) => item.price >= 300 && item.price <= 600));
  const none = await plain.suggest({ placement: 'free-shipping' }); // no free-shipping rule configured
  assert.equal(none.gap, null);
  assert.deepEqual(none.items, []);
  plain.destroy();

  globalThis.localStorage = new MemoryStorage(); // another shopper: plain's saved cart is not restored
  const shop = await indexed({ shipping });
  await shop.cart.add('85123A'); // 295 of 600: 305 to go
  assert.equal(await shop.suggest.freeShippingGap(), 305);
  const auto = await shop.suggest({ placement: 'free-shipping' });
  assert.equal(auto.gap, 305);
  assert.deepEqual(ids(auto), ['71053', '84029G', '47566']);
  await shop.cart.add('71053'); // 634: free
  assert.deepEqual((await shop.suggest({ placement: 'free-shipping' })).items, []);
  shop.destroy();
});

test('unknown product ids fall back to popularity and are reported once as an error event', async () => {
  const shop = await indexed();
  const errors = [];
  shop.on('error', (detail) => errors.push(detail));
  const result = await shop.suggest({ placement: 'bought-together', productId: 'DISCONTINUED', limit: 2 });
  assert.equal(result.items.length, 2);
  assert.deepEqual(result.issues.map((i) => i.path), ['request.productId']);
  await shop.suggest({ placement: 'bought-together', productId: 'DISCONTINUED' });
  assert.equal(errors.length, 1);
  assert.deepEqual(errors[0], { code: 'unknown-product', path: 'request.productId', source: 'suggestions',
    message: 'unknown product "DISCONTINUED": suggestions use the session and popularity instead' });
  shop.destroy();
});

test('malformed requests throw a CartKeepError naming the field', async () => {
  const shop = await indexed();
  await assert.rejects(shop.suggest({ placement: 'upsell' }), (error) => {
    assert.ok(error instanceof CartKeep.CartKeepError);
    assert.equal(error.code, 'invalid-argument');
    assert.equal(error.path, 'request.placement');
    return true;
  });
  await assert.rejects(shop.suggest({ placement: 'bought-together' }), { path: 'request.productId' });
  await assert.rejects(shop.suggest({ placement: 'picked-for-you', limit: 0 }), { path: 'request.limit' });
  await assert.rejects(shop.suggest('picked-for-you'), { code: 'invalid-argument', path: 'request' });
  shop.destroy();
});

test('a truncated, foreign or mismatched index is refused with its reason; suggestions keep working', async () => {
  const shop = await store({ suggestions: { catalogVersion: 'tiny-1' } });
  await assert.rejects(shop.suggest.loadIndex(indexBytes.slice(0, 120)), (error) => {
    assert.equal(error.code, 'invalid-argument');
    assert.equal(error.path, 'suggestions.index');
    assert.match(error.message, /truncated: the header says \d+ bytes, 120 arrived/);
    return true;
  });
  await assert.rejects(shop.suggest.loadIndex(new TextEncoder().encode('{"not":"an index"}')), /looks like JSON/);
  await assert.rejects(shop.suggest.loadIndex('CKIX'), { code: 'invalid-argument' });
  const status = await shop.suggest.status();
  assert.equal(status.source, 'popularity');
  assert.equal(status.error.path, 'suggestions.index');
  assert.equal((await shop.suggest({ placement: 'picked-for-you', limit: 2 })).items.length, 2);
  shop.destroy();

  const other = await store({ suggestions: { catalogVersion: 'store-2025' } });
  await assert.rejects(other.suggest.loadIndex(indexBytes), /built for catalog version "tiny-1", but options.suggestions.catalogVersion is "store-2025"/);
  other.destroy();
});

test('options.suggestions.index is fetched: a good URL loads, a 404 or an HTML page is an error event', async () => {
  const good = await store({ suggestions: { index: `${origin}/index.bin` } });
  const status = await good.suggest.ready;
  assert.equal(status.source, 'index');
  assert.equal((await good.suggest({ placement: 'bought-together', productId: '22697', limit: 1 })).items[0].productId, '22423');
  good.destroy();

  for (const [path, pattern] of [['/missing.bin', /HTTP 404/], ['/html.bin', /looks like HTML/]]) {
    const errors = [];
    const bad = await store({ suggestions: { index: `${origin}${path}` } });
    bad.on('error', (detail) => errors.push(detail));
    const settled = await bad.suggest.ready;
    assert.equal(settled.source, 'popularity');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].path, 'suggestions.index');
    assert.equal(errors[0].source, 'suggestions');
    assert.match(errors[0].message, pattern);
    assert.ok((await bad.suggest({ placement: 'picked-for-you' })).items.length > 0);
    bad.destroy();
  }
});

test('options.suggestions.index is fetched once, when first needed: suggest(), ready and prepare() share the one load', async () => {
  const hits = served.hits;
  const shop = await store({ suggestions: { index: `${origin}/index.bin` } });
  await shop.suggest.view('22697');
  assert.equal((await shop.suggest.status()).source, 'popularity', 'nothing has needed the index yet');
  assert.equal(served.hits, hits, 'no request at start');
  const [answer, prepared, ready] = await Promise.all([
    shop.suggest({ placement: 'bought-together', productId: '22697', limit: 1 }), shop.suggest.prepare(), shop.suggest.ready]);
  assert.equal(answer.source, 'index', 'suggest() waits for the load it started');
  assert.equal(answer.items[0].productId, '22423');
  assert.equal(prepared.source, 'index');
  assert.equal(ready, prepared);
  await shop.suggest({ placement: 'picked-for-you' });
  assert.equal(served.hits, hits + 1, 'one request for every caller');
  shop.destroy();
});

test('with consent the profile is kept in localStorage, restored by the next instance, validated, and forgotten on request', async () => {
  const granted = { consent: 'granted' };
  const first = await indexed(granted);
  await first.suggest.view('22697', { dwellMs: 12000 });
  await first.cart.add('85123A');
  await first.suggest.purchased(['71053']);
  const stored = JSON.parse(localStorage.getItem('cartkeep:suggest-profile'));
  assert.equal(stored.format, 1);
  assert.deepEqual(stored.views.map(([id, , dwell]) => [id, dwell]), [['22697', 12000]]);
  assert.deepEqual(stored.purchases.map(([id]) => id), ['71053']);
  first.destroy();

  const second = await indexed(granted);
  assert.deepEqual(ids(await second.suggest({ placement: 'recently-viewed' })), ['22697']);
  await second.cart.add('85123A');
  assert.ok(!ids(await second.suggest({ placement: 'complete-order' })).includes('71053'), 'bought recently: hidden');
  await second.suggest.forget();
  assert.equal(localStorage.getItem('cartkeep:suggest-profile'), null);
  assert.deepEqual((await second.suggest({ placement: 'recently-viewed' })).items, []);
  second.destroy();

  // A damaged profile (storage is writable by any script) is refused by the core, dropped, and reported.
  localStorage.setItem('cartkeep:suggest-profile', '{"format":1,"views":[["22697",-5,0]]}');
  const third = await store(granted);
  assert.deepEqual((await third.suggest.profile()).views, []); // the damaged profile was not used...
  assert.equal(localStorage.getItem('cartkeep:suggest-profile'), null); // ...and removed
  third.destroy();

  const privateMode = await store({ ...granted, suggestions: { rememberProfile: false } });
  await privateMode.suggest.view('22697');
  assert.equal(localStorage.getItem('cartkeep:suggest-profile'), null);
  privateMode.destroy();
});

test('without consent the profile lasts for the page only; a grant stores it, a denial removes it', async () => {
  localStorage.removeItem('cartkeep:suggest-profile');
  const pending = await indexed(); // the default consent mode is required-until-granted
  assert.equal(pending.consent.get().state, 'pending');
  await pending.suggest.view('22697', { dwellMs: 5000 });
  assert.deepEqual(ids(await pending.suggest({ placement: 'recently-viewed' })), ['22697'], 'used on this page');
  assert.equal(localStorage.getItem('cartkeep:suggest-profile'), null, 'but not stored');
  await pending.consent.set('granted');
  await pending.suggest.profile(); // answered after the profile the grant stores (the core answers in order)
  assert.deepEqual(JSON.parse(localStorage.getItem('cartkeep:suggest-profile')).views.map(([id]) => id), ['22697']);
  await pending.consent.set('denied');
  assert.equal(localStorage.getItem('cartkeep:suggest-profile'), null);
  await pending.suggest.view('71053', { dwellMs: 5000 });
  assert.equal(localStorage.getItem('cartkeep:suggest-profile'), null);
  pending.destroy();

  // A profile stored earlier (with consent) is not even read by a page without consent.
  localStorage.setItem('cartkeep:suggest-profile', JSON.stringify({ format: 1, views: [['22697', Date.now(), 4000]], cartAdds: [], purchases: [] }));
  const later = await indexed();
  assert.deepEqual((await later.suggest.profile()).views, []);
  later.destroy();
  localStorage.removeItem('cartkeep:suggest-profile');
});

test('a dwell the previous page of the tab measured as it went away is recorded once by the next page; a forged one is refused', async () => {
  globalThis.sessionStorage = new MemoryStorage();
  try {
    const pendingKey = 'cartkeep:suggest-profile:pending';
    const at = Date.now() - 1000;
    sessionStorage.setItem(pendingKey, JSON.stringify([
      { type: 'view', productId: '22697', at, dwellMs: 4000 },
      { type: 'view', productId: 'NOT-IN-THE-CATALOG', at, dwellMs: 4000 },
    ]));
    const next = await store({ consent: 'granted' });
    assert.deepEqual((await next.suggest.profile()).views.map(([id, , dwell]) => [id, dwell]), [['22697', 4000]]);
    assert.equal(sessionStorage.getItem(pendingKey), null, 'recorded, so no longer pending');
    assert.deepEqual(JSON.parse(localStorage.getItem('cartkeep:suggest-profile')).views.map(([id]) => id), ['22697'], 'and stored');
    next.destroy();
    const after = await store({ consent: 'granted' });
    assert.deepEqual((await after.suggest.profile()).views.map(([id, , dwell]) => [id, dwell]), [['22697', 4000]], 'not counted twice');
    after.destroy();
  } finally {
    delete globalThis.sessionStorage;
  }
});

test('invalid suggestion options reject init with the option path', async () => {
  await assert.rejects(store({ suggestions: { limit: 0 } }), { code: 'invalid-options', path: 'options.suggestions.limit' });
  await assert.rejects(store({ suggestions: { wieghts: {} } }), (error) => {
    assert.equal(error.path, 'options.suggestions.wieghts');
    assert.match(error.message, /did you mean "weights"/);
    return true;
  });
  await assert.rejects(store({ suggestion: {} }), { path: 'options.suggestion' });
});

test('Arabic stores get Arabic titles and reasons; merchant strings override them', async () => {
  const shop = await indexed({ locale: 'ar-AE' });
  const result = await shop.suggest({ placement: 'bought-together', productId: '22697', limit: 1 });
  assert.equal(result.title, 'يُشترى معًا غالبًا');
  assert.equal(result.items[0].reason.text, 'غالبًا ما يُشترى مع Green Regency Teacup and Saucer');
  shop.destroy();
  const custom = await indexed({ strings: { 'suggest.reason.bought-together': 'Pairs with {title}' } });
  assert.equal((await custom.suggest({ placement: 'bought-together', productId: '22697', limit: 1 })).items[0].reason.text, 'Pairs with Green Regency Teacup and Saucer');
  custom.destroy();
});

test('instance.purchase() (the event stream) records the cart as bought', async () => {
  const shop = await indexed();
  await shop.cart.add('85123A');
  await shop.cart.add('84406B');
  if (typeof shop.purchase !== 'function') return; // the event stream is not part of this build
  await shop.purchase({ orderId: 'T-1' });
  assert.deepEqual((await shop.suggest.profile()).purchases.map(([id]) => id).sort(), ['84406B', '85123A']);
  shop.destroy();
});

// ---- bad input: the index and ids ---------------------------------------------------------------------
test('a damaged index (one flipped byte, random bytes, an empty file) is refused by its checksum or header', async () => {
  const shop = await indexed();
  const before = ids(await shop.suggest({ placement: 'bought-together', productId: '22697', limit: 3 }));
  const flipped = indexBytes.slice();
  flipped[flipped.length - 3] ^= 0x5a;
  await assert.rejects(shop.suggest.loadIndex(flipped), (error) => {
    assert.equal(error.code, 'invalid-argument');
    assert.equal(error.path, 'suggestions.index');
    assert.match(error.message, /checksum/i);
    return true;
  });
  const random = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
  await assert.rejects(shop.suggest.loadIndex(random), { code: 'invalid-argument', path: 'suggestions.index' });
  await assert.rejects(shop.suggest.loadIndex(new Uint8Array(0)), { code: 'invalid-argument', path: 'suggestions.index' });
  // The index loaded before stays in use: a bad update never leaves the shop worse off.
  assert.equal((await shop.suggest.status()).source, 'index');
  assert.match((await shop.suggest.status()).error.message, /suggestions.index/);
  assert.deepEqual(ids(await shop.suggest({ placement: 'bought-together', productId: '22697', limit: 3 })), before);
  shop.destroy();
});

test('an index of another catalog (its ids unknown here) is refused by coverage, fetched or loaded; popularity instead', async () => {
  // A store selling other products than the ones the tiny index knows.
  const known = new Set(catalog.map((p) => p.id));
  const otherCatalog = JSON.parse(readFileSync(new URL('../../../demo/data/catalog.json', import.meta.url), 'utf8'))
    .filter((p) => !known.has(p.id)).slice(0, 20);
  const shop = await store({ catalog: otherCatalog });
  await assert.rejects(shop.suggest.loadIndex(indexBytes), (error) => {
    assert.equal(error.code, 'invalid-argument');
    assert.equal(error.path, 'suggestions.index');
    assert.match(error.message, /^.*only 0 of the catalog's 20 products \(0%\) are in this index of 9 items \(catalog version "tiny-1", ids fingerprint [0-9a-f]{16}\): it was built for another catalog/);
    return true;
  });
  assert.equal((await shop.suggest.status()).source, 'popularity');
  const result = await shop.suggest({ placement: 'bought-together', productId: otherCatalog[0].id, limit: 3 });
  assert.equal(result.source, 'popularity');
  assert.equal(result.items.length, 3);
  shop.destroy();

  // The same from options.suggestions.index: an error event with its code; suggestions stay on popularity.
  const fetched = await store({ catalog: otherCatalog, suggestions: { index: `${origin}/index.bin` } });
  const errors = [];
  fetched.on('error', (detail) => errors.push(detail));
  const status = await fetched.suggest.ready;
  assert.equal(status.source, 'popularity');
  assert.equal(errors.length, 1);
  assert.deepEqual({ code: errors[0].code, path: errors[0].path, source: errors[0].source }, { code: 'invalid-argument', path: 'suggestions.index', source: 'suggestions' });
  assert.match(errors[0].message, /built for another catalog/);
  assert.equal((await fetched.suggest({ placement: 'picked-for-you', limit: 4 })).items.length, 4);
  fetched.destroy();
});

test('unknown ids in pins, boosts and the popular list are reported once as error events and ignored', async () => {
  const shop = await store({ suggestions: { index: `${origin}/index.bin`, popular: ['GONE-1', '71053'],
    pins: [{ productId: 'GONE-2', position: 1 }], boosts: [{ productId: 'GONE-3', factor: 2 }] } });
  const errors = [];
  shop.on('error', (detail) => errors.push(detail));
  const status = await shop.suggest.ready;
  assert.equal(status.source, 'index');
  assert.deepEqual(errors.map((e) => [e.code, e.path, e.source]), [
    ['unknown-product', 'options.suggestions.pins[0].productId', 'suggestions'],
    ['unknown-product', 'options.suggestions.boosts[0].productId', 'suggestions'],
    ['unknown-product', 'options.suggestions.popular[0]', 'suggestions'],
  ]);
  assert.equal(errors[0].message, 'unknown product "GONE-2": ignored');
  const picked = await shop.suggest({ placement: 'picked-for-you', limit: 3 });
  assert.equal(picked.items.length, 3);
  assert.ok(!ids(picked).some((id) => id.startsWith('GONE')));
  await shop.suggest.view('22697');
  await assert.rejects(shop.suggest.view('GONE-4'), { code: 'unknown-product', path: 'event.productId' });
  await assert.rejects(shop.suggest.purchased(['22697', 'GONE-5']), { code: 'unknown-product', path: 'event.productIds[1]' });
  assert.deepEqual((await shop.suggest.profile()).purchases, [], 'a purchase with an unknown id records nothing');
  shop.destroy();
});
