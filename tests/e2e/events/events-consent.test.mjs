// Consent gating of the event stream in real Chromium against a local endpoint: required-until-granted sends,
// pushes and stores nothing (not even on pagehide) until a grant releases what waited; a denial drops everything
// queued and stored; Global Privacy Control denies whatever the merchant's mode and API say; a Google consent
// mode update on the dataLayer grants.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { config, useEventShop } from '../helpers/event-pages.mjs';
import { waitForAnswer } from '../helpers/browser.mjs';

const eventShop = useEventShop();
const { collector, shop } = eventShop;

const eventKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':events:')));
const ecommerce = (page) => page.evaluate(() => (window.dataLayer || []).filter((p) => p && p.ecommerce).map((p) => p.event));

test('required-until-granted: nothing sent, pushed or stored before consent, not even on pagehide; a grant sends what waited', async () => {
  const pending = config({ dataLayer: true, batch: { intervalMs: 0 } }, { consent: 'required-until-granted' });
  const { context, page, go } = await shop(pending);
  try {
    await go('home');
    await page.evaluate(async () => {
      await window.store.cart.add('mug');
      await window.store.tracking.flush();
    });
    assert.equal(await page.evaluate(() => window.store.consent.get().state), 'pending');
    assert.equal(await page.evaluate(async () => (await window.store.tracking.state()).queue.queued), 3, 'waiting in memory only');
    assert.deepEqual(await ecommerce(page), []);
    assert.deepEqual(await eventKeys(page), []);

    // Leaving the page without consent: no beacon, nothing stored for the next page.
    const left = await page.evaluate(() => window.seen.filter((s) => s.detail && s.detail.id).map((s) => s.detail.id));
    assert.ok(left.length >= 3);
    await go('cart');
    assert.deepEqual(await eventKeys(page), []);
    await page.evaluate(async () => {
      await window.store.cart.add('lantern');
      await window.store.tracking.flush();
    });
    assert.equal(collector.received.length, 0, JSON.stringify(collector.summary()));
    const waiting = await page.evaluate(() => window.seen.filter((s) => s.detail && s.detail.id).map((s) => s.detail.id));

    // The shopper accepts: what this page queued goes out, and the GA4 pushes that waited are made.
    const state = await page.evaluate(async () => await window.store.consent.set('granted'));
    assert.deepEqual({ state: state.state, source: state.source }, { state: 'granted', source: 'api' });
    await collector.until(() => waiting.every((id) => collector.ids().includes(id)), 'the queued events after the grant');
    assert.ok(left.every((id) => !collector.ids().includes(id)), 'the page left before consent sent nothing, ever');
    assert.deepEqual(await ecommerce(page), ['add_to_cart']);
    assert.ok((await eventKeys(page)).some((k) => k.endsWith(':consent')), 'the grant is remembered');
  } finally {
    await context.close();
  }
});

test('a denial drops everything queued and stored; nothing is sent afterwards, on this page or the next', async () => {
  collector.answer = () => 500;
  const { context, page, go } = await shop(config({ dataLayer: true, batch: { intervalMs: 0 }, retry: { baseMs: 60000, maxMs: 60000 } },
    { consent: 'required-until-granted' }));
  try {
    await go('home');
    await page.evaluate(async () => await window.store.consent.set('granted'));
    // Every event so far is tried (and refused) before the denial: none is left to go out on its own after it.
    await page.evaluate(async () => { await window.store.cart.add('mug'); await window.store.tracking.flush(); });
    await collector.until(() => collector.received.length >= 1, 'the failing request');
    await waitForAnswer(page, async () => (await window.store.tracking.state()).queue.inFlight === 0, null, { timeout: 30000 });
    assert.ok((await page.evaluate(async () => (await window.store.tracking.state()).queue.queued)) > 0, 'waiting to retry');
    assert.ok((await eventKeys(page)).some((k) => k.includes(':outbox:')), 'the failed queue is stored');
    const before = collector.received.length;

    collector.answer = () => 204;
    const state = await page.evaluate(async () => await window.store.consent.set('denied'));
    assert.equal(state.state, 'denied');
    assert.equal(await page.evaluate(async () => (await window.store.tracking.state()).queue.queued), 0, 'the queue is dropped');
    assert.deepEqual(await eventKeys(page), [], 'and nothing stays stored');
    await page.evaluate(async () => {
      await window.store.cart.add('lantern');
      await window.store.tracking.flush();
    });
    assert.deepEqual(await ecommerce(page), ['add_to_cart'], 'no push after the denial');

    await go('next');  // pagehide: no beacon; the next page has no stored grant and no queue to adopt
    await page.evaluate(async () => { await window.store.cart.add('card'); await window.store.tracking.flush(); });
    assert.equal(await page.evaluate(() => window.store.consent.get().state), 'pending');
    assert.equal(collector.received.length, before, JSON.stringify(collector.summary()));
  } finally {
    await context.close();
  }
});

test('Global Privacy Control denies even with mode "granted" and an API grant: nothing sent, pushed or stored', async () => {
  const { context, page, go } = await shop(config({ dataLayer: true, batch: { intervalMs: 0 } }), { gpc: true });
  try {
    await go('home');
    assert.equal(await page.evaluate(() => navigator.globalPrivacyControl), true);
    const state = await page.evaluate(() => window.store.consent.get());
    assert.deepEqual({ state: state.state, source: state.source }, { state: 'denied', source: 'gpc' });
    const after = await page.evaluate(async () => {
      const result = await window.store.consent.set('granted');
      await window.store.cart.add('mug');
      await window.store.tracking.flush();
      return result.state;
    });
    assert.equal(after, 'denied');
    assert.equal(await page.evaluate(async () => (await window.store.tracking.state()).queue.queued), 0);
    assert.deepEqual(await ecommerce(page), []);
    assert.deepEqual(await eventKeys(page), []);
    await go('next');
    await page.evaluate(async () => { await window.store.tracking.flush(); });
    assert.equal(collector.received.length, 0);
    // The stream still tells this page's listeners (nothing leaves the browser).
    assert.ok((await page.evaluate(() => window.seen.map((s) => s.name))).includes('page-view'));
  } finally {
    await context.close();
  }
});

// A consent platform's signal reaches the engine, and consent.get() reads the engine's answer once it is back.
const consentBecomes = (page, state) => page.waitForFunction((want) => window.store.consent.get().state === want, state, { timeout: 10000 });

test('a Google consent mode update on the dataLayer grants (consent.signal "gcm")', async () => {
  const { context, page, go } = await shop(config({ dataLayer: true, batch: { intervalMs: 0 } },
    { consent: { mode: 'required-until-granted', signal: 'gcm' } }));
  try {
    await go('home');
    await page.evaluate(async () => await window.store.cart.add('mug'));
    assert.equal(await page.evaluate(() => window.store.consent.get().state), 'pending');
    // What gtag.js does: gtag('consent', 'update', {...}) pushes its arguments object.
    await page.evaluate(() => {
      function gtag() { window.dataLayer.push(arguments); } // eslint-disable-line prefer-rest-params
      gtag('consent', 'update', { analytics_storage: 'granted', ad_storage: 'denied' });
    });
    await consentBecomes(page, 'granted');
    const state = await page.evaluate(() => window.store.consent.get());
    assert.deepEqual({ state: state.state, source: state.source }, { state: 'granted', source: 'signal' });
    await collector.until(() => collector.events().some((e) => e.name === 'add-to-cart'), 'the events after the signal');
    await page.evaluate(() => {
      function gtag() { window.dataLayer.push(arguments); } // eslint-disable-line prefer-rest-params
      gtag('consent', 'update', { analytics_storage: 'denied' });
    });
    await consentBecomes(page, 'denied');
    assert.equal(await page.evaluate(() => window.store.consent.get().state), 'denied');
  } finally {
    await context.close();
  }
});

test('an IAB TCF v2 CMP grants when every configured purpose is consented, and denies otherwise (consent.signal "tcf")', async () => {
  const { context, page, go } = await shop(config({ batch: { intervalMs: 0 } }, { consent: { mode: 'required-until-granted', signal: 'tcf' } }));
  try {
    // A minimal CMP: __tcfapi('addEventListener', 2, cb) and a way for the test to play the shopper's choice.
    await page.addInitScript(() => {
      const listeners = [];
      window.__tcfapi = (command, version, callback) => {
        if (command === 'addEventListener') {
          listeners.push(callback);
          callback({ eventStatus: 'cmpuishown', listenerId: 7, gdprApplies: true, purpose: { consents: {} } }, true);
        } else if (command === 'removeEventListener') {
          callback(true);
        }
      };
      window.cmpChoice = (consents) => listeners.forEach((cb) => cb({ eventStatus: 'useractioncomplete', listenerId: 7, gdprApplies: true,
        purpose: { consents } }, true));
    });
    await go('home');
    assert.equal(await page.evaluate(() => window.store.consent.get().state), 'pending', 'the CMP UI is showing: no choice yet');
    await page.evaluate(() => window.cmpChoice({ 1: true, 8: false }));
    await consentBecomes(page, 'denied');
    assert.equal(await page.evaluate(() => window.store.consent.get().state), 'denied', 'purpose 8 (measurement) refused');
    await page.evaluate(() => window.cmpChoice({ 1: true, 8: true }));
    await consentBecomes(page, 'granted');
    const state = await page.evaluate(() => window.store.consent.get());
    assert.deepEqual({ state: state.state, source: state.source }, { state: 'granted', source: 'signal' });
    await page.evaluate(async () => await window.store.cart.add('mug'));
    await collector.until(() => collector.events().some((e) => e.name === 'add-to-cart'), 'the events after the CMP grant');
  } finally {
    await context.close();
  }
});
