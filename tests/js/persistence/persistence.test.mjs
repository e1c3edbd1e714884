// Persistence through the public API under Node: storage adapters (a Map stands in for a browser's storage),
// reload, migration, expiry, damage, failing storage, sync between instances, resume links, forget.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CartKeep, engineMode, initStore } from '../helpers/cartkeep.mjs';

const DAY = 86400000;
const T0 = Date.UTC(2024, 2, 9, 12);
const CART_KEY = 'cartkeep:default:cart';
const fixtureV1 = readFileSync(new URL('../../fixtures/cart-v1.json', import.meta.url), 'utf8');

function mapStorage(map = new Map()) {
  return { map, get: (key) => (map.has(key) ? map.get(key) : null), set: (key, value) => { map.set(key, value); }, remove: (key) => { map.delete(key); } };
}

function open(storage, persistence = {}, options = {}) {
  return initStore({ ...options, persistence: { storage, ...persistence } });
}

const lines = (store) => store.cart.lines().map((l) => [l.productId, l.quantity]);

// Counts what each tab posts to the others and what each has finished receiving, so a test can wait until
// the tabs are quiet (every message delivered and merged, every save done) instead of sleeping.
// Waits for a promise while keeping Node's event loop alive (a timer), failing clearly after timeoutMs.
function within(promise, timeoutMs, what) {
  let timer;
  const timeout = new Promise((resolve, reject) => { timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), timeoutMs); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function watchTraffic(tabs) {
  const traffic = { posted: 0, received: 0 };
  for (const tab of tabs) {
    const persistence = tab.persistence;
    const post = persistence.channel.post.bind(persistence.channel);
    persistence.channel.post = (message, storage) => { traffic.posted += 1; return post(message, storage); };
    const receive = persistence.receive.bind(persistence);
    persistence.receive = async (text) => {
      try {
        return await receive(text);
      } finally {
        traffic.received += 1;
      }
    };
  }
  // BroadcastChannels are unref'd (they never keep Node alive), so the wait itself keeps the loop turning.
  traffic.quiet = async (timeoutMs = 30000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const queues = tabs.map((tab) => tab.persistence.queue);
      await Promise.all(queues);
      const drained = tabs.every((tab, i) => tab.persistence.queue === queues[i]);
      if (drained && traffic.received === traffic.posted * (tabs.length - 1)) return;
      if (Date.now() > deadline) throw new Error(`tabs still busy: ${traffic.posted} posted, ${traffic.received} received`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return traffic;
}

test('in Node there is no localStorage: the cart stays in memory, quietly', async () => {
  const store = await initStore();
  const errors = [];
  store.on('error', (e) => errors.push(e));
  assert.deepEqual({ ...store.persistence.status(), replica: undefined },
    { storage: 'memory', saved: false, reason: 'unavailable', sync: 'off', replica: undefined });
  assert.match(store.persistence.status().replica, /^[A-Za-z0-9_-]{16}$/);
  assert.equal(store.options.persistence.ttlDays, 30);
  await store.cart.add('mug');
  await store.persistence.save();
  assert.deepEqual(errors, []);
  store.destroy();
});

test('reload keeps the cart: saved on every change, restored before init resolves', async () => {
  const storage = mapStorage();
  const first = await open(storage, { clock: () => T0 });
  assert.equal(storage.map.size, 0, 'nothing is stored for a visitor without a cart');
  assert.deepEqual(first.persistence.status().saved, true);
  await first.cart.add('lantern', 2);
  await first.cart.add('mug');
  await first.persistence.save();
  const text = storage.map.get(CART_KEY);
  const stored = JSON.parse(text);
  assert.equal(stored.cartkeep, 'cart');
  assert.equal(stored.version, 2);
  assert.match(stored.checksum, /^crc32:[0-9a-f]{8}$/);
  assert.equal(stored.data.createdAt, T0);
  assert.doesNotMatch(text, /Enamel Mug.*Enamel Mug/, 'each title at most once');
  first.destroy();

  const second = await open(storage, { clock: () => T0 + 60000 });
  assert.deepEqual(lines(second), [['lantern', 2], ['mug', 1]]);
  assert.equal(second.cart.subtotal(), 2 * 339 + 850);
  const restored = second.persistence.restoreResult();
  assert.equal(restored.status, 'restored');
  assert.equal(restored.returning, false);
  assert.equal(restored.savedAt, T0);
  assert.equal(second.persistence.banner(), null);
  second.destroy();
});

test('the version-1 fixture migrates: re-priced from the catalog, differences reported, written back as v2', async () => {
  const storage = mapStorage(new Map([[CART_KEY, fixtureV1]]));
  const store = await open(storage, { clock: () => T0 });
  assert.deepEqual(lines(store), [['mug', 3], ['lantern', 1]]);
  assert.equal(store.cart.subtotal(), 3 * 850 + 339); // never the stored 800
  const restored = store.persistence.restoreResult();
  assert.equal(restored.version, 1);
  assert.equal(restored.returning, true);
  assert.deepEqual(restored.notices.map((n) => [n.kind, n.productId, n.from ?? n.reason, n.to ?? n.title]), [
    ['price-changed', 'mug', 800, 850],
    ['removed', 'retired-teapot', 'unavailable', 'Retired <b>Teapot</b>'],
  ]);
  const banner = store.persistence.banner();
  assert.equal(banner.reason, 'returning');
  assert.equal(banner.notices.length, 2);
  assert.equal(JSON.parse(storage.map.get(CART_KEY)).version, 2);
  store.destroy();
});

test('a cart older than the time to live is not restored, and is removed from storage', async () => {
  const storage = mapStorage();
  const first = await open(storage, { clock: () => T0, ttlDays: 7 });
  await first.cart.add('mug');
  await first.persistence.save();
  first.destroy();
  const late = await open(storage, { clock: () => T0 + 7 * DAY + 1, ttlDays: 7 });
  assert.equal(late.persistence.restoreResult().status, 'expired');
  assert.equal(late.cart.count(), 0);
  assert.equal(storage.map.has(CART_KEY), false);
  late.destroy();
});

test('corrupted JSON, a bad checksum or a future version: kept aside, started clean, reported with a code', async () => {
  const good = mapStorage();
  const writer = await open(good, { clock: () => T0 });
  await writer.cart.add('mug', 2);
  await writer.persistence.save();
  writer.destroy();
  const valid = good.map.get(CART_KEY);
  const cases = [
    ['{"cartkeep":"cart","version":2,"chec', 'snapshot-corrupt', 'snapshot'],
    [valid.replace('[2,0,', '[5,0,'), 'snapshot-checksum', 'snapshot.checksum'],
    [JSON.stringify({ ...JSON.parse(valid), version: 3 }), 'snapshot-future-version', 'snapshot.version'],
    ['"just a string"', 'snapshot-invalid', 'snapshot'],
  ];
  for (const [text, code, path] of cases) {
    const storage = mapStorage(new Map([[CART_KEY, text]]));
    const store = await open(storage, { clock: () => T0 });
    const result = store.persistence.restoreResult();
    assert.equal(result.status, 'damaged', code);
    assert.equal(result.problem.code, code);
    assert.equal(result.problem.path, path);
    assert.equal(store.cart.count(), 0);
    assert.equal(storage.map.get('cartkeep:default:cart.damaged'), text, 'the damaged copy is kept aside');
    // The next change stores a good snapshot in its place.
    await store.cart.add('lantern');
    await store.persistence.save();
    assert.equal(JSON.parse(storage.map.get(CART_KEY)).version, 2);
    store.destroy();
  }
});

test('storage that throws: the cart keeps working in memory, "not saved" is visible, an error event says why', async () => {
  let reads = 0;
  const refusing = { get: () => { reads += 1; return null; }, set: () => { throw new Error('The operation is insecure.'); }, remove: () => {} };
  const store = await open(refusing);
  const errors = [];
  const states = [];
  store.on('error', (e) => errors.push(e));
  store.on('persistence', (s) => states.push(s));
  await assert.doesNotReject(async () => store.cart.add('mug'));
  await store.persistence.save();
  assert.equal(store.cart.count(), 1);
  assert.deepEqual(errors.map((e) => [e.code, e.path, e.source]), [['storage-unavailable', 'options.persistence.storage', 'persistence']]);
  assert.match(errors[0].message, /not saved on this device: The operation is insecure/);
  assert.deepEqual({ ...store.persistence.status(), replica: 0 }, { storage: 'memory', saved: false, reason: 'storage-failed', sync: 'off', replica: 0 });
  assert.equal(states.at(-1).reason, 'storage-failed');
  assert.equal(store.persistence.unsaved(), true);
  await store.cart.add('lantern');
  await store.persistence.save();
  assert.equal(errors.length, 1, 'reported once, not on every change');
  assert.ok(reads >= 1);
  store.destroy();

  const unreadable = { get: () => { throw new Error('SecurityError'); }, set: () => {}, remove: () => {} };
  const other = await open(unreadable);
  assert.equal(other.persistence.status().reason, 'storage-failed');
  await other.cart.add('mug');
  assert.equal(other.cart.count(), 1);
  other.destroy();
});

const roomyCatalog = ['tea', 'cup', 'pot', 'jar', 'mat', 'rug'].map((id, i) => ({ id, title: `Item ${id}`, price: 100 + i }));
const quotaError = () => Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });

test('quota exceeded: compact and retry; when still full, fall back to memory', async () => {
  const map = new Map();
  let limit = Infinity;
  const storage = { get: (k) => map.get(k) ?? null, set: (k, v) => { if (v.length > limit) throw quotaError(); map.set(k, v); }, remove: (k) => map.delete(k) };
  const store = await open(storage, { clock: () => T0 }, { catalog: roomyCatalog });
  const compactions = [];
  const errors = [];
  store.on('persistence-compacted', (detail) => compactions.push(detail));
  store.on('error', (e) => errors.push(e.code));
  for (const id of ['tea', 'cup', 'pot', 'jar', 'mat']) { // history: five lines added and removed again
    await store.cart.add(id);
    await store.persistence.save();
    await store.cart.remove(id);
    await store.persistence.save();
  }
  limit = map.get(CART_KEY).length - 1; // the next full snapshot no longer fits
  await store.cart.add('rug');
  await store.persistence.save();
  assert.equal(compactions.length, 1);
  assert.ok(compactions[0].dropped >= 5);
  assert.equal(store.persistence.status().saved, true);
  assert.ok(!map.get(CART_KEY).includes('"tea"'), 'spent lines are gone from storage');
  assert.deepEqual(errors, []);

  limit = 0; // nothing fits any more
  await store.cart.add('rug');
  await store.persistence.save();
  assert.deepEqual(errors, ['storage-quota']);
  assert.deepEqual([store.persistence.status().storage, store.persistence.status().reason], ['memory', 'quota']);
  assert.equal(store.cart.count(), 2);
  store.destroy();
});

test('an asynchronous adapter (as IndexedDB is) restores before init resolves', async () => {
  const map = new Map();
  const later = (value) => new Promise((resolve) => setTimeout(() => resolve(value), 5));
  const asyncStorage = { get: (k) => later(map.get(k) ?? null), set: (k, v) => later(map.set(k, v)), remove: (k) => later(map.delete(k)) };
  const first = await open(asyncStorage);
  await first.cart.add('mug', 3);
  await first.persistence.save();
  first.destroy();
  const second = await open(asyncStorage);
  assert.deepEqual(lines(second), [['mug', 3]]);
  second.destroy();
});

test('options: adapter objects and clocks stay in JS; bad values name their path', async () => {
  await assert.rejects(open({ get() {} }), { code: 'invalid-options', path: 'options.persistence.storage' });
  await assert.rejects(open('cookies'), { code: 'invalid-options', path: 'options.persistence.storage' });
  await assert.rejects(open(mapStorage(), { clock: 5 }), { code: 'invalid-options', path: 'options.persistence.clock' });
  await assert.rejects(open(mapStorage(), { ttlDays: 0 }), { code: 'invalid-options', path: 'options.persistence.ttlDays' });
  const off = await initStore({ persistence: false });
  assert.equal(off.persistence.status().reason, 'disabled');
  off.destroy();
  const untouched = { get: () => assert.fail('read'), set: () => assert.fail('written'), remove: () => assert.fail('removed') };
  const disabled = await initStore({ persistence: { enabled: false, storage: untouched } });
  await disabled.cart.add('mug');
  await disabled.persistence.save();
  disabled.destroy();
});

test('forget() wipes what was stored and empties the cart', async () => {
  const storage = mapStorage();
  const store = await open(storage);
  await store.cart.add('mug');
  await store.persistence.setContext({ step: 'checkout' });
  await store.persistence.save();
  storage.map.set('cartkeep:default:cart.damaged', 'old');
  storage.map.set('unrelated', 'kept');
  const actions = [];
  store.on('cart-change', (d) => actions.push(d.action));
  await store.forget();
  assert.deepEqual([...storage.map.keys()], ['unrelated']);
  assert.equal(store.cart.count(), 0);
  assert.deepEqual(actions, ['forget']);
  store.destroy();
  const next = await open(storage);
  assert.equal(next.persistence.restoreResult().status, 'empty');
  next.destroy();
});

test('resume links: round trip, share texts, unknown ids dropped with a notice, damaged links reported', async () => {
  const phone = await open(mapStorage(), { resumeUrls: { checkout: 'https://shop.example/checkout' } });
  await phone.cart.add('mug', 2);
  await phone.cart.add('lantern');
  await phone.persistence.setContext({ step: 'checkout', coupon: 'SAVE10' });
  const link = await phone.persistence.link();
  assert.match(link.url, /^https:\/\/shop\.example\/checkout\?cartkeep=1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/);
  assert.equal(link.step, 'checkout');
  const shared = await phone.persistence.share();
  assert.equal(shared.text, `My cart: 2 × Enamel Mug, 1 × White Metal Lantern (£20.39). Continue here: ${link.url}`);
  assert.equal(shared.whatsapp, `https://wa.me/?text=${encodeURIComponent(shared.text)}`);
  assert.equal(shared.mailto, `mailto:?subject=My%20cart&body=${encodeURIComponent(shared.text)}`);
  phone.destroy();

  const laptop = await open(mapStorage());
  const heard = [];
  laptop.on('resume-link', (detail) => heard.push(detail));
  const applied = await laptop.persistence.applyLink(link.value);
  assert.equal(applied.ok, true);
  assert.deepEqual(lines(laptop), [['mug', 2], ['lantern', 1]]);
  assert.equal(applied.step, 'checkout');
  assert.equal(applied.coupon, 'SAVE10');
  assert.equal(heard.length, 1);
  assert.equal(laptop.persistence.banner().reason, 'link');

  const list = await laptop.persistence.applyLink('lantern:3,ghost:1,card:2');
  assert.deepEqual(lines(laptop), [['mug', 2], ['lantern', 3]]);
  assert.deepEqual(list.notices.map((n) => [n.kind, n.productId, n.path ?? n.reason]),
    [['link-unknown', 'ghost', 'cartkeep[1]'], ['removed', 'card', 'out-of-stock']]);

  const errors = [];
  laptop.on('error', (e) => errors.push([e.code, e.path, e.source]));
  const damaged = await laptop.persistence.applyLink(link.value.slice(0, -1));
  assert.deepEqual([damaged.ok, damaged.problem.code], [false, 'invalid-link']);
  assert.deepEqual(errors, [['invalid-link', 'cartkeep', 'resume-link']]);
  assert.equal(laptop.persistence.banner().reason, 'link-invalid');
  assert.deepEqual(lines(laptop), [['mug', 2], ['lantern', 3]]);
  laptop.destroy();

  const tiny = await open(mapStorage(), { link: { maxLength: 64 } });
  for (const id of ['mug', 'lantern']) await tiny.cart.add(id);
  await tiny.persistence.setContext({ coupon: 'A-VERY-LONG-COUPON-CODE-THAT-WILL-NOT-FIT-IN-THE-LINK' });
  await assert.rejects(async () => tiny.persistence.link(), (e) => e instanceof CartKeep.CartKeepError && e.code === 'link-too-long');
  tiny.destroy();
});

// Another tab's cart reaches the engine (persistMerge is on its way) after the shopper saw the cart and before
// their own action is made: the action must change what the shopper saw, not overwrite the units merged in.
test('tabs in sync: a set-quantity or remove made while another tab\'s units are being merged keeps those units', async () => {
  const cases = [
    ['a decrease keeps the unit added there', (tab) => tab.cart.add('tea', 1), (tab) => tab.cart.setQuantity('tea', 1), 2],
    ['a removal keeps the unit added there', (tab) => tab.cart.add('tea', 1), (tab) => tab.cart.remove('tea'), 1],
    ['an increase and the add there both count', (tab) => tab.cart.add('tea', 1), (tab) => tab.cart.setQuantity('tea', 4), 5],
    ['the same decrease in both tabs removes the same unit, once', (tab) => tab.cart.setQuantity('tea', 1), (tab) => tab.cart.setQuantity('tea', 1), 1],
  ];
  for (const [what, elsewhere, edit, expected] of cases) {
    const namespace = `unseen-${process.pid}-${cases.findIndex((c) => c[0] === what)}`;
    const storage = mapStorage();
    const here = await open(storage, { sync: true, namespace }, { catalog: roomyCatalog });
    const there = await open(storage, { sync: true, namespace }, { catalog: roomyCatalog });
    const traffic = watchTraffic([here, there]);
    await here.cart.add('tea', 2);
    await traffic.quiet();
    assert.deepEqual(lines(there), [['tea', 2]]);
    // The shopper in `here` acts on the 2 units they see at the moment the merge of `there`'s edit leaves.
    const request = here.session.request.bind(here.session);
    let acted = null;
    here.session.request = (name, ...args) => {
      const answer = request(name, ...args);
      if (name === 'persistMerge' && !acted) {
        assert.deepEqual(lines(here), [['tea', 2]], 'the shopper has not seen the merge yet');
        acted = edit(here);
      }
      return answer;
    };
    await elsewhere(there);
    await traffic.quiet();
    await acted;
    await traffic.quiet();
    assert.ok(acted, 'the merge was made');
    assert.deepEqual(lines(here), [['tea', expected]], what);
    assert.deepEqual(lines(there), lines(here), `${what}: the tabs converge`);
    here.destroy();
    there.destroy();
  }
});

test('tabs in sync (BroadcastChannel): concurrent edits from three instances converge and lose nothing', async () => {
  const namespace = `sync-${process.pid}`;
  const storage = mapStorage(); // one origin's storage, shared like localStorage
  const tabs = [];
  for (let i = 0; i < 3; i += 1) tabs.push(await open(storage, { sync: true, namespace }, { catalog: roomyCatalog }));
  assert.equal(tabs[0].persistence.status().sync, 'broadcast-channel');
  const traffic = watchTraffic(tabs);
  const products = ['tea', 'cup'];
  let seed = 7;
  const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let round = 0; round < 25; round += 1) {
    const ledger = {};
    for (const p of products) ledger[p] = { added: 0, decreased: 0, largest: 0, decreases: 0 };
    const before = Object.fromEntries(products.map((p) => [p, tabs[0].cart.get().lines.find((l) => l.productId === p)?.quantity ?? 0]));
    for (const p of products) ledger[p].added = before[p];
    // Every tab edits from the cart it shows. With the in-thread engine no message is delivered before the
    // round's edits are done; through the worker protocol each answer is a message, so other tabs' states are
    // merged between them, some while an edit is on its way: the ledger holds either way.
    for (let step = 0; step < 6; step += 1) {
      const tab = tabs[random(3)];
      const product = products[random(2)];
      const seen = tab.cart.get().lines.find((l) => l.productId === product)?.quantity ?? 0;
      const l = ledger[product];
      if (random(3) === 0 && seen > 0) {
        const target = random(seen);
        await tab.cart.setQuantity(product, target);
        l.decreased += seen - target; l.largest = Math.max(l.largest, seen - target); l.decreases += 1;
      } else if (seen < 4) {
        await tab.cart.add(product, 1);
        l.added += 1;
      }
    }
    await traffic.quiet();
    assert.ok(traffic.posted > 0, 'the tabs told each other');
    const carts = tabs.map((t) => JSON.stringify(t.cart.lines()));
    assert.equal(carts[1], carts[0], `round ${round}: tabs differ`);
    assert.equal(carts[2], carts[0], `round ${round}: tabs differ`);
    for (const p of products) {
      const final = tabs[0].cart.get().lines.find((x) => x.productId === p)?.quantity ?? 0;
      const l = ledger[p];
      if (!l.decreases) assert.equal(final, l.added, `round ${round} ${p}: an add was lost`);
      else {
        assert.ok(final >= l.added - l.decreased, `round ${round} ${p}: lost units (${final} < ${l.added} - ${l.decreased})`);
        assert.ok(final <= l.added - l.largest, `round ${round} ${p}: resurrected units`);
      }
    }
  }
  // A tab opened now restores the same cart from storage.
  const late = await open(storage, { sync: true, namespace }, { catalog: roomyCatalog });
  assert.deepEqual(late.cart.lines(), tabs[0].cart.lines());
  // forget() in one tab empties all of them.
  const everyone = [...tabs, late];
  const forgotten = everyone.map((tab) => new Promise((resolve) => tab.on('forget', resolve)));
  await tabs[1].forget();
  assert.deepEqual((await within(Promise.all(forgotten), 30000, 'every tab hears forget')).map((detail) => detail.source),
    ['other-tab', 'this-tab', 'other-tab', 'other-tab']);
  for (const t of everyone) assert.equal(t.cart.count(), 0);
  for (const t of everyone) t.destroy();
});

// The engine's worker dies with the shopper's set-quantity unanswered, after another tab stored a unit this
// tab has not heard of: the new engine starts from the cart the page showed, the set-quantity goes again on
// that cart, and the other tab's unit is merged in after it, not overwritten; nothing is doubled.
test('a worker restart with a set-quantity and an add on their way loses and doubles nothing', { skip: engineMode !== 'worker' && 'only a worker restarts' }, async () => {
  const { killEngine } = await import('../helpers/worker-engine.mjs');
  const storage = mapStorage();
  const here = await open(storage, {}, { catalog: roomyCatalog });
  await here.cart.add('tea', 2);
  await here.cart.add('cup', 1);
  await here.persistence.queue; // the snapshot of that add is stored as it is
  assert.equal(storage.map.get(CART_KEY), here.persistence.lastWritten);
  const there = await open(storage, {}, { catalog: roomyCatalog }); // another tab, unheard (no sync)
  await there.cart.add('tea', 1);
  await there.persistence.save();
  const errors = [];
  here.on('error', (e) => errors.push(e.code));
  const decreased = here.cart.setQuantity('tea', 1); // from the 2 this tab shows
  const added = here.cart.add('cup', 1);
  killEngine(here);
  await decreased;
  await added;
  for (let queue = here.persistence.queue; ; queue = here.persistence.queue) { // the restart's save, and the actions'
    await queue;
    if (here.persistence.queue === queue) break;
  }
  assert.deepEqual(errors, ['worker-failed']);
  assert.deepEqual(lines(here), [['tea', 2], ['cup', 2]], 'the other tab\'s tea survives the decrease, the cup counts once');
  const reopened = await open(storage, {}, { catalog: roomyCatalog });
  assert.deepEqual(lines(reopened), lines(here));
  for (const tab of [here, there, reopened]) tab.destroy();
});

test('Arabic stores get Arabic persistence texts', async () => {
  const store = await initStore({ locale: 'ar-AE', persistence: { storage: mapStorage() } });
  assert.equal(store.options.direction, 'rtl');
  assert.equal(store.options.strings['persist.status.unsaved'], 'لم تُحفظ السلة على هذا الجهاز');
  assert.match(store.options.strings['persist.banner.welcome'], /^مرحبًا بعودتك/);
  store.destroy();
});

test('keys from outside never reach the prototype: a link or stored step named __proto__, constructor, prototype, toString', async () => {
  for (const step of ['__proto__', 'constructor', 'prototype', 'toString']) {
    const phone = await open(mapStorage(), { resumeUrls: { checkout: 'https://shop.example/checkout' } });
    await phone.cart.add('mug');
    if (!/^[a-z0-9-]{1,32}$/.test(step)) {
      // Not a step name at all (1-32 of a-z 0-9 -): refused before any lookup.
      await assert.rejects(async () => phone.persistence.setContext({ step }), { code: 'invalid-argument' }, step);
      phone.destroy();
      continue;
    }
    await phone.persistence.setContext({ step });
    const link = await phone.persistence.link();
    assert.equal(typeof link.url, 'string', step);
    assert.ok(!link.url.includes('function') && !link.url.startsWith('https://shop.example/checkout'), `${step}: ${link.url}`);
    phone.destroy();

    const storage = mapStorage();
    const laptop = await open(storage, { resumeUrls: { cart: '/cart.html' } });
    const applied = await laptop.persistence.applyLink(link.value);
    assert.equal(applied.ok, true, step);
    const banner = laptop.persistence.banner();
    assert.equal(banner.resumeUrl, '/cart.html', `${step}: the banner falls back to the cart page`);
    laptop.destroy();
    // The same step from the stored snapshot of the next page.
    const next = await open(storage, { resumeUrls: { cart: '/cart.html' } });
    const stored = next.persistence.banner();
    if (stored) assert.equal(stored.resumeUrl, '/cart.html', `${step}: stored step`);
    next.destroy();
  }
});
