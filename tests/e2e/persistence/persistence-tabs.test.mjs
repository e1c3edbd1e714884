// Two tabs of one browser context edit the same cart at once, in randomized interleavings, and must end
// identical with nothing lost. Each interleaving is a seeded schedule of adds, decreases and removals for each
// tab, with seeded pauses (none, a microtask, a task, a few ms) so edits cross the other tab's messages at
// different points; both tabs run their schedules at the same time. The tabs are then waited on until quiet
// (every message posted by one tab merged by the other, every save done), never for a fixed time.
// A second test removes BroadcastChannel: the storage event carries the edits instead.
// Reproduce a failure with CARTKEEP_TABS_SEED=<seed printed in the message>; CARTKEEP_TABS_ROUNDS sets the count.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ready, usePersistShop } from '../helpers/persist-shop.mjs';
import { waitForAnswer } from '../helpers/browser.mjs';
import { seededRandom } from '../../helpers/seeded-random.mjs';

const SEED = Number(process.env.CARTKEEP_TABS_SEED || 20261122);
const ROUNDS = Number(process.env.CARTKEEP_TABS_ROUNDS || 80); // `node bench/tab-sync.bench.mjs` soaks 220 rounds
const PRODUCTS = ['tea', 'cup', 'pot'];

const shared = usePersistShop();


function schedule(next) {
  const ops = [];
  const count = 2 + Math.floor(next() * 7);
  for (let i = 0; i < count; i += 1) {
    const roll = next();
    ops.push({
      kind: roll < 0.6 ? 'add' : roll < 0.9 ? 'decrease' : 'remove',
      product: PRODUCTS[Math.floor(next() * PRODUCTS.length)],
      fraction: next(),
      pause: Math.floor(next() * 6), // 0: none, 1: a microtask, 2..5: a task after 0..3 ms
    });
  }
  return ops;
}

// In the page: counts the messages this tab posts and the ones it has finished merging.
function instrument() {
  return CartKeep.ready.then((store) => {
    const p = store.persistence;
    window.__traffic = { posted: 0, received: 0 };
    const post = p.channel.post.bind(p.channel);
    p.channel.post = (message, storage) => { window.__traffic.posted += 1; return post(message, storage); };
    const receive = p.receive.bind(p);
    p.receive = async (text) => {
      try {
        return await receive(text);
      } finally {
        window.__traffic.received += 1;
      }
    };
    return p.status().sync;
  });
}

// In the page: runs one tab's schedule and returns what it actually did (quantities seen at that moment).
function play(ops) {
  return CartKeep.ready.then(async (store) => {
    const wait = (kind) => (kind === 0 ? null : kind === 1 ? Promise.resolve() : new Promise((r) => setTimeout(r, kind - 2)));
    const done = [];
    for (const op of ops) {
      const pause = wait(op.pause);
      if (pause) await pause;
      // `seen` is what the cart shows now, as a shopper sees it: the other tab's messages may be merging at this
      // very moment, and the edit below still counts from what the tab showed.
      const seen = store.cart.lines().find((l) => l.productId === op.product)?.quantity ?? 0;
      if (op.kind === 'add' && seen < 4) {
        await store.cart.add(op.product, 1);
        done.push({ product: op.product, added: 1, removed: 0 });
      } else if (op.kind === 'decrease' && seen > 0) {
        const target = Math.floor(op.fraction * seen);
        await store.cart.setQuantity(op.product, target);
        done.push({ product: op.product, added: 0, removed: seen - target });
      } else if (op.kind === 'remove' && seen > 0) {
        await store.cart.remove(op.product);
        done.push({ product: op.product, added: 0, removed: seen });
      }
    }
    return done;
  });
}

// In the page: waits for this tab's persistence queue to drain, then reports its traffic and cart.
function probe() {
  return CartKeep.ready.then(async (store) => {
    const p = store.persistence;
    for (;;) {
      const queue = p.queue;
      await queue;
      if (p.queue === queue) break;
    }
    return { ...window.__traffic, lines: store.cart.lines().map((l) => [l.productId, l.quantity]) };
  });
}

// Quiet: A posted nothing while B was read, B has merged all of A's messages and A all of B's.
async function quiet(a, b, what) {
  const deadline = Date.now() + 60000;
  for (;;) {
    const first = await a.evaluate(probe);
    const other = await b.evaluate(probe);
    const last = await a.evaluate(probe);
    if (first.posted === last.posted && first.received === last.received &&
        last.posted === other.received && other.posted === last.received) return [last.lines, other.lines];
    if (Date.now() > deadline) throw new Error(`${what}: tabs still busy (${JSON.stringify({ a: last, b: other })})`);
  }
}

const quantity = (lines, product) => lines.find(([id]) => id === product)?.[1] ?? 0;

test(`${ROUNDS} randomized interleavings of two tabs editing one cart end identical with nothing lost (seed ${SEED})`, async () => {
  const context = await shared.browser.newContext();
  const problems = [];
  const pages = [];
  try {
    for (let i = 0; i < 2; i += 1) {
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
      await page.goto(shared.shop.url('en'));
      await ready(page);
      assert.equal(await page.evaluate(instrument), 'broadcast-channel');
      pages.push(page);
    }
    const [a, b] = pages;
    const next = seededRandom(SEED);
    let [before] = await quiet(a, b, 'start');
    let edits = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const where = `seed ${SEED}, round ${round}`;
      const plans = [schedule(next), schedule(next)];
      const [doneA, doneB] = await Promise.all([a.evaluate(play, plans[0]), b.evaluate(play, plans[1])]);
      const [linesA, linesB] = await quiet(a, b, where);
      assert.deepEqual(linesB, linesA, `${where}: the tabs differ`);
      for (const product of PRODUCTS) {
        const mine = [...doneA, ...doneB].filter((d) => d.product === product);
        edits += mine.length;
        const added = mine.reduce((sum, d) => sum + d.added, 0);
        const removals = mine.filter((d) => d.removed > 0).map((d) => d.removed);
        const start = quantity(before, product);
        const final = quantity(linesA, product);
        if (!removals.length) {
          assert.equal(final, start + added, `${where}, ${product}: an add was lost (${JSON.stringify({ start, added, final, mine })})`);
        } else {
          // Concurrent decreases may overlap (both tabs took the same units away) but never take more than
          // all of them together, nor less than the largest one; an add is never lost.
          const total = removals.reduce((sum, n) => sum + n, 0);
          const largest = Math.max(...removals);
          assert.ok(final >= start + added - total, `${where}, ${product}: lost units (${JSON.stringify({ start, added, total, final, mine })})`);
          assert.ok(final <= start + added - largest, `${where}, ${product}: a removal came back (${JSON.stringify({ start, added, largest, final, mine })})`);
        }
      }
      before = linesA;
    }
    assert.ok(edits >= ROUNDS * 4, `the schedules really edited (${edits} edits)`);

    // Storage holds the same cart: a third tab opened now restores it.
    const late = await context.newPage();
    await late.goto(shared.shop.url('en'));
    await ready(late);
    assert.deepEqual(await late.evaluate(() => CartKeep.ready.then((s) => s.cart.lines().map((l) => [l.productId, l.quantity]))), before);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('without BroadcastChannel the storage event keeps two tabs in step, concurrent adds included', async () => {
  const context = await shared.browser.newContext();
  await context.addInitScript(() => { delete window.BroadcastChannel; });
  const problems = [];
  try {
    const pages = [];
    for (let i = 0; i < 2; i += 1) {
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      await page.goto(shared.shop.url('en'));
      await ready(page);
      assert.equal(await page.evaluate(() => CartKeep.ready.then((store) => store.persistence.status().sync)), 'storage-event');
      pages.push(page);
    }
    const [a, b] = pages;
    const lines = (page) => page.evaluate(() => CartKeep.ready.then((store) => store.cart.lines().map((l) => [l.productId, l.quantity])));
    const waitFor = (page, expected) => waitForAnswer(page, (want) => CartKeep.ready.then((store) =>
      JSON.stringify(store.cart.lines().map((l) => [l.productId, l.quantity])) === want), JSON.stringify(expected), { interval: 50 });
    // Turn by turn: each edit reaches the other tab.
    await a.evaluate(() => CartKeep.ready.then(async (store) => await store.cart.add('tea', 2)));
    await waitFor(b, [['tea', 2]]);
    await b.evaluate(() => CartKeep.ready.then(async (store) => await store.cart.add('cup', 1)));
    await waitFor(a, [['tea', 2], ['cup', 1]]);
    await a.evaluate(() => CartKeep.ready.then(async (store) => await store.cart.setQuantity('tea', 1)));
    await waitFor(b, [['tea', 1], ['cup', 1]]);
    // At once: 20 adds in each tab, with no wait between them; every one of them counts in both tabs.
    await Promise.all([a, b].map((page, i) => page.evaluate((product) => CartKeep.ready.then(async (store) => {
      for (let n = 0; n < 20; n += 1) {
        await store.cart.add(product, 1);
        if (n % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }), i === 0 ? 'pot' : 'tea')));
    const expected = [['tea', 21], ['cup', 1], ['pot', 20]];
    await waitFor(a, expected);
    await waitFor(b, expected);
    assert.deepEqual(await lines(a), await lines(b));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
