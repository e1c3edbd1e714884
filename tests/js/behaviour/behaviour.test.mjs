// Behaviour in Node against dist/: the labelled corpus replayed through instance.behaviour (the same JS
// calls the DOM sensors make) gives exactly the core's golden outputs that Catch2 checks, plus the events,
// the API and option errors with paths.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { initStore } from '../helpers/cartkeep.mjs';

const dir = new URL('../../fixtures/traces/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8'));
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8'));

test('the corpus replays in Node exactly as in Catch2 (same outputs, same dwell)', async () => {
  assert.ok(index.length >= 40);
  let hits = 0;
  let exits = 0;
  let falsePositives = 0;
  for (const entry of index) {
    const trace = JSON.parse(readFileSync(new URL(`${entry.name}.json`, dir), 'utf8'));
    const store = await initStore(trace.options || {});
    const outputs = await store.behaviour.replay(trace);
    const end = trace.events[trace.events.length - 1][0];
    const dwell = (await store.session.request('behaviourDwell', end)).total;
    assert.deepEqual({ outputs, dwell }, expected[entry.name], entry.name);
    const decided = outputs.some((o) => o.type === 'exit-intent');
    if (entry.label === 'exit') {
      exits++;
      hits += decided;
    } else {
      falsePositives += decided;
    }
    store.destroy();
  }
  console.log(`node replay: recall ${hits}/${exits}, false positives ${falsePositives}/${index.length - exits}`);
  assert.equal(hits, exits);
  assert.equal(falsePositives, 0);
});

test('decisions become events: exit-intent, risk, nudge-shown (no DOM: not rendered)', async () => {
  const store = await initStore();
  const seen = [];
  for (const name of ['exit-intent', 'risk', 'nudge-shown', 'nudge-held-out']) store.on(name, (detail) => seen.push([name, detail]));
  await store.cart.add('mug', 2);
  const b = store.behaviour;
  // Times continue the instance's performance.now() clock (the cart change above used it).
  const t0 = performance.now() + 1;
  await b.observe([t0, 'session', { visitor: 'v', session: 's', epochMs: 1767225600000 }]);
  await b.observe([t0, 'viewport', 1280, 800, false]);
  await b.observe([t0, 'route', '/cart', '', '']);
  for (let t = 100; t <= 1500; t += 16) await b.move(t0 + t, 600, 500 - (t - 100) / 4);
  await b.out(t0 + 1516, 600, -4);
  const names = seen.map(([name]) => name);
  assert.ok(names.includes('exit-intent'), names.join());
  assert.ok(names.includes('risk'));
  assert.ok(names.includes('nudge-shown'));
  const exit = seen.find(([name]) => name === 'exit-intent')[1];
  assert.equal(exit.reason, 'top-exit');
  assert.equal(exit.page, 'cart');
  const nudge = seen.find(([name]) => name === 'nudge-shown')[1];
  assert.equal(nudge.rule, 'reassurance');
  assert.equal(nudge.rendered, false);
  const risk = await store.risk();
  assert.ok(risk.score >= 0.6 && risk.score <= 1);
  assert.equal(risk.reasons[0].signal, 'exitIntent');
  store.destroy();
});

test('normalised options carry behaviour and nudges; bad ones reject init with the path', async () => {
  const store = await initStore({
    behaviour: { idleAfterMs: 15000, exitIntent: { sensitivity: 'high', backButtonGuard: true } },
    nudges: { holdout: 0.1, playbook: [{ id: 'help', offer: { type: 'help', email: 'help@example.com' } }] },
  });
  assert.equal(store.options.behaviour.idleAfterMs, 15000);
  assert.equal(store.options.behaviour.exitIntent.backButtonGuard, true);
  assert.equal(store.options.nudges.holdout, 0.1);
  assert.equal(store.options.nudges.playbook[0].offer.email, 'help@example.com');
  assert.equal(store.options.strings['nudge.help.title'], 'Can we help?');
  store.destroy();
  const arabic = await initStore({ locale: 'ar-AE' });
  assert.equal(arabic.options.strings['nudge.reassurance.title'], 'قبل أن تغادر');
  arabic.destroy();
  const cases = [
    [{ behaviour: { idleAfterMs: -1 } }, 'options.behaviour.idleAfterMs'],
    [{ behaviour: { exitIntent: { armDelay: 5 } } }, 'options.behaviour.exitIntent.armDelay'],
    [{ nudges: { playbook: [{ offer: { type: 'coupon', code: 'X', percentOff: 95 }, minCartValue: 1 }] } }, 'options.nudges.playbook[0].offer.percentOff'],
    [{ nudges: { maxPerSession: 'one' } }, 'options.nudges.maxPerSession'],
    [{ behavior: {} }, 'options.behavior'],
  ];
  for (const [override, path] of cases) {
    await assert.rejects(initStore(override), (error) => {
      assert.equal(error.code, 'invalid-options', JSON.stringify(override));
      assert.equal(error.path, path);
      return true;
    });
  }
});

test('a malformed observation is an error with its path, and destroy() stops everything', async () => {
  const store = await initStore();
  await assert.rejects(async () => store.behaviour.observe(['x', 'move']), { code: 'invalid-argument', path: 'observation' });
  await assert.rejects(async () => store.behaviour.observe([1, 'teleport']), { code: 'invalid-argument', path: 'observation[1]' });
  store.destroy();
  await assert.rejects(async () => store.behaviour.dwell(), { code: 'destroyed' });
  // The pointer path after destroy refuses the call, never a crash.
  await assert.rejects(store.behaviour.move(1, 2, 3), { code: 'destroyed' });
});

// The writes that follow a change (the caps asked of the core, then stored) have happened by the next task.
const settled = () => new Promise((resolve) => { setTimeout(resolve, 0); });

// A Web Storage stand-in for Node (localStorage and sessionStorage), so the behaviour layer has storage.
class MemoryStorage {
  constructor() { this.map = new Map(); }
  getItem(key) { return this.map.has(key) ? this.map.get(key) : null; }
  setItem(key, value) { this.map.set(key, String(value)); }
  removeItem(key) { this.map.delete(key); }
  keys() { return [...this.map.keys()]; }
}
const BEHAVIOUR_KEYS = ['cartkeep:visitor', 'cartkeep:behaviour', 'cartkeep:session'];

test('without consent the holdout and caps work from memory and nothing is stored; consent stores them, withdrawal removes them', async () => {
  const saved = { local: globalThis.localStorage, session: globalThis.sessionStorage };
  globalThis.localStorage = new MemoryStorage();
  globalThis.sessionStorage = new MemoryStorage();
  const stored = () => BEHAVIOUR_KEYS.filter((key) => localStorage.getItem(key) !== null || sessionStorage.getItem(key) !== null);
  const options = { nudges: { holdout: 0.5, playbook: [{ id: 'help', offer: { type: 'help', email: 'help@example.com' } }] } };
  try {
    // Consent pending (the default mode): a visitor id exists for this page only.
    const first = await initStore(options);
    assert.equal(first.consent.get().state, 'pending');
    await first.behaviour.startSession();
    const caps = await first.behaviour.caps();
    assert.match(caps.visitor, /^[a-z2-7]{24}$/);
    const { heldOut } = (await first.behaviour.summary()).nudges;
    assert.equal(typeof heldOut, 'boolean');
    assert.deepEqual(stored(), []);
    // A nudge decided on this page is counted in memory, still not stored.
    await first.cart.add('mug', 2);
    const t0 = performance.now() + 1; // the page's clock goes on from the cart action's
    const b = first.behaviour;
    await b.observe([t0, 'viewport', 1280, 800, false]);
    await b.observe([t0, 'route', '/cart', '', '']);
    for (let t = 100; t <= 1500; t += 16) await b.move(t0 + t, 600, 500 - (t - 100) / 4);
    await b.out(t0 + 1516, 600, -4);
    assert.equal((await b.summary()).nudges.decided, 1);
    assert.deepEqual(stored(), []);
    // Consent given: this page's ids and caps are stored, and a later page continues them.
    await first.consent.set('granted');
    await settled();
    assert.deepEqual(stored(), BEHAVIOUR_KEYS);
    assert.equal(localStorage.getItem('cartkeep:visitor'), caps.visitor);
    assert.equal(JSON.parse(localStorage.getItem('cartkeep:behaviour')).visitor, caps.visitor);
    first.destroy();
    const second = await initStore(options);
    assert.equal(second.consent.get().state, 'granted'); // remembered by the event stream
    await second.behaviour.startSession();
    assert.equal((await second.behaviour.caps()).visitor, caps.visitor);
    assert.equal((await second.behaviour.summary()).nudges.heldOut, heldOut, 'the same holdout bucket on the next page');
    // Withdrawn: the behaviour keys go, and later changes to the caps are not written again.
    await second.consent.set('denied');
    await settled();
    assert.deepEqual(stored(), []);
    await second.behaviour.converted();
    assert.equal((await second.behaviour.caps()).convertedInSession, true);
    assert.deepEqual(stored(), []);
    second.destroy();
  } finally {
    globalThis.localStorage = saved.local;
    globalThis.sessionStorage = saved.session;
    if (saved.local === undefined) delete globalThis.localStorage;
    if (saved.session === undefined) delete globalThis.sessionStorage;
  }
});

test('observations answered while a deadline is on its way share it; a change after it asks again', async () => {
  const store = await initStore();
  const b = store.behaviour;
  await b.startSession();
  const asked = [];
  const rawRequest = b.session.rawRequest.bind(b.session);
  b.session.rawRequest = (method, ...args) => {
    if (method === 'behaviourDeadline') asked.push(args[0]);
    return rawRequest(method, ...args);
  };
  const t0 = performance.now() + 1;
  // A page start's burst: three observations sent together, one deadline asked after all of them.
  await Promise.all([b.viewport(t0, 1280, 800, false), b.route(t0, '/cart', '', ''), b.focus(t0 + 1)]);
  assert.equal(asked.length, 1);
  const shared = b.deadline;
  assert.equal(shared, await rawRequest('behaviourDeadline', performance.now()), 'the timer is at the deadline the core gives now');
  // One after the other: each change is followed by a deadline of its own.
  await b.focus(t0 + 2);
  await b.key(t0 + 3); // a keystroke moves no deadline: nothing asked
  await b.blur(t0 + 4, false);
  assert.equal(asked.length, 3);
  store.destroy();
});
