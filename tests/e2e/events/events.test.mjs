// The event stream in real Chromium against a local endpoint the test runs (the demo server's /collect hook):
// batched payloads, delivery on pagehide with navigator.sendBeacon (navigating away and closing the page),
// retry after 5xx with the same event ids and no duplicate delivery, the queue cap, the GA4 dataLayer shape,
// and every stream event on cartkeep:<name>. Consent gating is in events-consent.test.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { config, useEventShop } from '../helpers/event-pages.mjs';
import { waitForAnswer } from '../helpers/browser.mjs';

const eventShop = useEventShop();
const { collector, shop } = eventShop;

const LIFECYCLE = new Set(['page-view', 'view-item', 'cart-created', 'add-to-cart', 'remove-from-cart', 'checkout-started',
  'checkout-step', 'purchase']);

test('batched payloads, GA4 dataLayer pushes and every lifecycle event on cartkeep:<name>', async () => {
  const { context, page, problems, go } = await shop(config({ dataLayer: true, batch: { size: 50, intervalMs: 300 },
    checkoutSteps: ['contact', 'delivery', 'payment'] }));
  try {
    // A product page reached from a newsletter, with an e-mail address in its URL that must never leave.
    await go('product', '?id=mug&utm_source=news&utm_medium=email&email=ada%40example.com');
    await page.click('[data-cartkeep-add="mug"]');
    await page.evaluate(async () => {
      const store = await CartKeep.ready;
      await store.cart.add('lantern', 2);
      await store.cart.setQuantity('lantern', 1);
      await store.track('checkout-started');
      await store.track('checkout-step', { step: 'contact' });
      await store.track('checkout-step', { step: 'delivery' });
      await store.purchase({ orderId: 'T-1001', shipping: 395, tax: 0 });
    });
    await collector.until(() => collector.events().some((e) => e.name === 'purchase'), 'the purchase at the endpoint');

    for (const request of collector.received) {
      assert.equal(request.method, 'POST');
      assert.equal(request.status, 204);
      assert.equal(request.type, 'text/plain;charset=UTF-8');
      assert.equal(request.mode, 'cors', 'fetch while the page lives');
      assert.equal(request.body.v, 1);
      assert.equal(typeof request.body.batch, 'string');
      assert.match(request.body.page, /^[a-z0-9]+$/);
      assert.equal(typeof request.body.sentAt, 'number');
    }
    assert.ok(collector.received.length < collector.events().length, 'events travel in batches, not one request each');
    assert.ok(collector.received.some((r) => r.body.events.length >= 3), JSON.stringify(collector.summary()));
    const events = collector.events();
    assert.deepEqual(events.map((e) => e.name).filter((n) => LIFECYCLE.has(n)), ['page-view', 'view-item', 'cart-created',
      'add-to-cart', 'add-to-cart', 'remove-from-cart', 'checkout-started', 'checkout-step', 'checkout-step', 'purchase']);
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'every event once');
    const cart = events.find((e) => e.name === 'cart-created').cart;
    for (const e of events.filter((x) => x.name !== 'page-view' && x.name !== 'view-item')) assert.equal(e.cart, cart, e.name);
    assert.deepEqual(events[0].data.source, { source: 'news', medium: 'email', campaign: '' });
    assert.equal(events[0].data.path, '/demo/__test/product.html');
    const clicked = events.find((e) => e.name === 'add-to-cart');
    assert.ok(clicked.data.responseMs >= 0 && clicked.data.responseMs < 5000, 'the click was timed');
    const purchase = events.find((e) => e.name === 'purchase');
    assert.deepEqual({ orderId: purchase.data.orderId, value: purchase.data.value, subtotal: purchase.data.subtotal,
      shipping: purchase.data.shipping, steps: purchase.data.steps },
    { orderId: 'T-1001', value: 850 + 339 + 395, subtotal: 1189, shipping: 395, steps: 2 });
    for (const request of collector.received) {
      assert.ok(!request.text.includes('ada'), 'no personal data');
      assert.ok(!request.text.includes('example.com'), 'no personal data');
    }

    // GA4: ecommerce names and shapes, each after a push clearing the previous ecommerce object.
    const layer = await page.evaluate(() => window.dataLayer);
    const ga = layer.filter((p) => p && p.ecommerce);
    assert.deepEqual(ga.map((p) => p.event), ['view_item', 'add_to_cart', 'add_to_cart', 'remove_from_cart', 'begin_checkout',
      'add_shipping_info', 'purchase']);
    for (const push of ga) assert.deepEqual(layer[layer.indexOf(push) - 1], { ecommerce: null });
    assert.deepEqual(ga[1], { event: 'add_to_cart', ecommerce: { currency: 'GBP', value: 8.5,
      items: [{ item_id: 'mug', item_name: 'Enamel Mug', item_category: 'Kitchen', price: 8.5, quantity: 1 }] } });
    assert.deepEqual(ga[2].ecommerce.items, [{ item_id: 'lantern', item_name: 'Lantern', item_brand: 'Hearth', price: 3.39, quantity: 2 }]);
    assert.equal(ga[2].ecommerce.value, 6.78);
    assert.deepEqual(ga[3].ecommerce.items[0].quantity, 1);
    assert.equal(ga[4].ecommerce.value, 11.89);
    assert.deepEqual(ga[6].ecommerce, { transaction_id: 'T-1001', currency: 'GBP', value: 15.84, tax: 0, shipping: 3.95,
      items: [{ item_id: 'mug', item_name: 'Enamel Mug', item_category: 'Kitchen', price: 8.5, quantity: 1 },
        { item_id: 'lantern', item_name: 'Lantern', item_brand: 'Hearth', price: 3.39, quantity: 1 }] });
    assert.ok(layer.some((p) => p.event === 'cartkeep_cart_created' && p.cartkeep.cart === cart), 'other events under cartkeep_*');

    // The same events as DOM events, with their ids.
    const seen = await page.evaluate(() => window.seen);
    assert.deepEqual(seen.map((s) => s.name).filter((n) => LIFECYCLE.has(n)), ['page-view', 'view-item', 'cart-created',
      'add-to-cart', 'add-to-cart', 'remove-from-cart', 'checkout-started', 'checkout-step', 'checkout-step', 'purchase']);
    const sent = new Set(events.map((e) => e.id));
    for (const s of seen.filter((x) => LIFECYCLE.has(x.name))) assert.ok(sent.has(s.detail.id), `${s.name} ${s.detail.id}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('pagehide: the queued batch leaves with sendBeacon when the shopper navigates away, and when the page closes', async () => {
  const slow = config({ batch: { size: 50, intervalMs: 600000 } });
  const { context, page, go } = await shop(slow);
  try {
    await go('home');
    await page.evaluate(async () => {
      const store = await CartKeep.ready;
      await store.cart.add('mug');
      await store.cart.add('card', 3);
    });
    const queued = await page.evaluate(async () => (await (await CartKeep.ready).tracking.state()).queue.queued);
    assert.equal(queued, 4, 'page-view, cart-created and two adds wait for the interval');
    assert.equal(collector.received.length, 0);
    const ids = await page.evaluate(() => window.seen.filter((s) => s.detail && s.detail.id).map((s) => s.detail.id));

    await go('next');  // pagehide
    await collector.until(() => collector.events().length >= queued, 'the beacon');
    const beacon = collector.received[0];
    assert.equal(beacon.mode, 'no-cors', 'sent by navigator.sendBeacon');
    assert.match(beacon.type, /^text\/plain;charset=utf-8$/i);
    assert.deepEqual(beacon.body.events.map((e) => e.name), ['page-view', 'cart-created', 'add-to-cart', 'add-to-cart']);
    for (const id of ids) assert.ok(beacon.body.events.some((e) => e.id === id), id);

    // The next page does not send them again (its own page-view waits for its interval: flush it now).
    await page.evaluate(async () => (await CartKeep.ready).tracking.flush());
    await collector.until(() => collector.received.length >= 2, 'the next page\'s flush');
    const all = collector.ids();
    assert.equal(new Set(all).size, all.length, 'no event delivered twice');

    // Closing the page (the tab) sends what is queued too.
    await page.evaluate(async () => (await CartKeep.ready).cart.add('lantern'));
    const before = collector.received.length;
    await page.close();
    await collector.until(() => collector.received.length > before && collector.events().some((e) => e.name === 'add-to-cart' &&
      e.data.items[0].productId === 'lantern'), 'the beacon of a closed page');
    assert.equal(collector.received.at(-1).mode, 'no-cors');
    const ids2 = collector.ids();
    assert.equal(new Set(ids2).size, ids2.length);
  } finally {
    await context.close();
  }
});

test('retry: a 5xx answer is retried with the same event ids, each event delivered once', async () => {
  collector.answer = (n) => (n === 0 ? 503 : 204);
  const { context, page, go } = await shop(config({ batch: { size: 50, intervalMs: 0 }, retry: { baseMs: 50, maxMs: 100 } }));
  try {
    await go('home');
    await page.evaluate(async () => (await CartKeep.ready).cart.add('mug'));
    const failed = collector.received[0] || (await collector.until(() => collector.received.length >= 1, 'the first request'), collector.received[0]);
    assert.equal(failed.status, 503);
    const failedIds = failed.body.events.map((e) => e.id);
    assert.ok(failedIds.length > 0);
    // Newer events may go first while the failed batch waits out its backoff; then it goes again, same ids.
    await collector.until(() => failedIds.every((id) => collector.ids((r) => r.status === 204).includes(id)), 'the retry');
    const retry = collector.received.find((r) => r.status === 204 && r.body.events.some((e) => e.id === failedIds[0]));
    assert.deepEqual(retry.body.events.map((e) => e.id).slice(0, failedIds.length), failedIds, 'the same events, the same ids, in order');
    await page.evaluate(async () => {
      const store = await CartKeep.ready;
      await store.cart.add('lantern');
      await store.tracking.flush();
    });
    await collector.until(() => collector.events((r) => r.status === 204).some((e) => e.name === 'add-to-cart' &&
      e.data.items[0].productId === 'lantern'), 'the next add');
    const delivered = collector.ids((r) => r.status === 204);
    assert.equal(new Set(delivered).size, delivered.length, 'no duplicate delivery');
    const state = await waitForAnswer(page, async () => {
      const q = (await window.store.tracking.state()).queue;
      return q.queued === 0 && q.inFlight === 0 && q;
    });
    assert.equal(state.delivered, delivered.length);
    // Stored after the failure, removed once delivered: nothing is left for the next page to send again.
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':events:outbox:')));
    assert.deepEqual(stored, []);
  } finally {
    await context.close();
  }
});

test('queue cap: while the endpoint fails at most cap events wait (oldest dropped); the endpoint learns the drops', async () => {
  collector.answer = () => 500;
  // The batch waits a minute, so the twelve changes are all queued (the cap dropping the oldest) before the
  // first request leaves; flush() sends it now.
  const { context, page, go } = await shop(config({ batch: { size: 50, intervalMs: 60000 }, queue: { cap: 5 },
    retry: { baseMs: 200, maxMs: 200, maxAttempts: 100 } }));
  try {
    await go('cart');
    await page.evaluate(async () => {
      const store = await CartKeep.ready;
      for (let i = 0; i < 6; i += 1) {
        await store.cart.add('card');
        await store.cart.remove('card');
      }
      await store.tracking.flush();
    });
    const state = await waitForAnswer(page, async () => {
      const q = (await window.store.tracking.state()).queue;
      return q.inFlight === 0 && q.dropped.cap > 0 && q.queued === 5 && q;
    });
    assert.equal(state.queued, 5);
    for (const request of collector.received) assert.ok(request.body.events.length <= 5, 'never more than the cap in a request');
    const stored = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.includes(':events:outbox:')).map(([, v]) => JSON.parse(v)));
    assert.equal(stored.length, 1);
    assert.equal(stored[0].events.length, 5, 'the stored queue is capped too');
    const newest = stored[0].events.map((e) => e.id);

    collector.answer = () => 204;
    await collector.until(() => collector.received.some((r) => r.status === 204), 'delivery once the endpoint is back');
    await waitForAnswer(page, async () => (await window.store.tracking.state()).queue.queued === 0);
    const delivered = collector.ids((r) => r.status === 204);
    // Each event waits out its own backoff, so the batches may come in another order than the stored queue's.
    const byId = (ids) => [...ids].sort();
    assert.deepEqual(byId(delivered), byId(newest), 'the newest five, once each');
    const first = collector.received.find((r) => r.status === 204);
    assert.ok(first.body.dropped.cap >= state.dropped.cap, 'the payload reports what the cap dropped');
    // Every event recorded was either delivered or dropped by the cap (none by attempts); the newest is kept.
    const history = await page.evaluate(async () => (await (await CartKeep.ready).tracking.state()).history);
    const after = await page.evaluate(async () => (await (await CartKeep.ready).tracking.state()).queue);
    assert.equal(after.dropped.attempts, 0);
    assert.equal(after.dropped.cap + delivered.length, history);
    const last = await page.evaluate(() => window.seen.filter((s) => s.name === 'remove-from-cart').at(-1).detail.id);
    assert.ok(delivered.includes(last), 'the newest event survives the cap');
  } finally {
    await context.close();
  }
});

test('abandonment: the endpoint gets the cart and a resume link that brings the same cart back on another device', async () => {
  const { context, page, go } = await shop(config({ batch: { size: 50, intervalMs: 600000 }, abandonment: { idleMinutes: 1 } }));
  try {
    await go('cart');
    const detail = await page.evaluate(() => new Promise(async (resolve) => {
      window.store.on('cart-abandoned', resolve);
      await window.store.cart.add('mug', 2);
      await window.store.cart.add('lantern');
      await window.store.tracking.tick(Date.now() + 2 * 60000);
    }));
    assert.equal(detail.subtotal, 2 * 850 + 339);
    assert.equal(detail.stage, 'cart');
    assert.deepEqual(detail.items.map((i) => [i.productId, i.quantity]), [['mug', 2], ['lantern', 1]]);
    assert.match(detail.resumeLink, new RegExp(`^${eventShop.origin}/demo/__test/cart\\.html\\?`));
    // Sent without waiting for the 10-minute interval (it is urgent; the tick ran on a clock 2 minutes ahead, so
    // the page's flush timer is 2 minutes ahead too: flush on the real clock).
    await page.evaluate(async () => await window.store.tracking.flush());
    await collector.until(() => collector.events().some((e) => e.name === 'cart-abandoned'), 'the abandonment at the endpoint');
    const sent = collector.events().find((e) => e.name === 'cart-abandoned');
    assert.equal(sent.data.resumeLink, detail.resumeLink);
    assert.equal(sent.id, detail.id);

    // The merchant's e-mail opens the link in a browser that has never seen the shop: the same cart.
    const other = await shop(config({ batch: { size: 50, intervalMs: 600000 } }));
    try {
      await other.page.goto(detail.resumeLink);
      const lines = await other.page.evaluate(async () => (await CartKeep.ready).cart.lines().map((l) => [l.productId, l.quantity]));
      assert.deepEqual(lines, [['mug', 2], ['lantern', 1]]);
    } finally {
      await other.context.close();
    }
  } finally {
    await context.close();
  }
});
