// The event stream in the page (docs/events.md). The core records, decides and gates; this file observes
// (instance events through the hub's tap, shopper activity, clicks on add buttons, checkout markup,
// Navigation Timing, consent signals, pagehide), moves bytes (fetch, sendBeacon, localStorage, dataLayer)
// and carries out the effects the core returns. Nothing here may break the cart: failures are swallowed
// (and logged with options.debug).
import { SHOPPER_ACTIONS } from '../store/cart.js';
import { randomId } from '../platform/ids.js';
import { declaredPageType } from '../platform/page-context.js';
import { watchConsentMode, watchTcf, readGpc } from './consent.js';
import { pushDataLayer } from './datalayer.js';
import { EventStorage } from './history-storage.js';
import { queueBeacon, sendBatch } from './transport.js';
import { CartKeepError } from '../engine/errors.js';

const ACTIVITY_THROTTLE_MS = 10000;
const RESPONSE_WINDOW_MS = 5000;
const MAX_TIMER_MS = 3600000;
// Events that carry nothing for the stream: not even sent to the core. Behaviour's decisions reached the
// stream inside the core, as behaviour made them (behaviourDrain, cartAction); the save status, the banner, a
// share link and the suggestions' state are no stream event (the core records nothing for them), and a page
// start emits several of them: each would cost a round trip to the engine and a persist after it.
const SKIP = new Set(['ready', 'destroy', 'error', 'quote-change', 'nudge-skipped', 'consent-change',
  'exit-intent', 'risk', 'nudge-shown', 'nudge-held-out', 'nudge-accepted', 'nudge-dismissed',
  'persistence', 'persistence-compacted', 'banner', 'share', 'suggestions-change', 'suggestions-ready']);

function detailJson(name, detail) {
  if (name === 'cart-change') return JSON.stringify({ action: detail && detail.action, productId: detail ? detail.productId : null });
  try {
    return JSON.stringify(detail ?? {});
  } catch {
    return '{}';
  }
}

function navigationTiming() {
  if (typeof performance === 'undefined' || typeof performance.getEntriesByType !== 'function') return null;
  const [entry] = performance.getEntriesByType('navigation');
  if (!entry || !(entry.loadEventEnd > 0)) return null;
  return { loadMs: entry.loadEventEnd - entry.startTime, domContentLoadedMs: entry.domContentLoadedEventEnd - entry.startTime,
    ttfbMs: entry.responseStart - entry.startTime };
}

class Tracking {
  constructor(instance) {
    this.instance = instance;
    this.session = instance.session;
    const options = instance.options;
    this.events = options.events || {};
    this.consentOptions = options.consent || {};
    this.dataLayerName = this.events.dataLayer || '';
    const namespace = (options.persistence && options.persistence.namespace) || 'default';
    this.storage = new EventStorage(namespace);
    this.pageId = randomId(20);
    this.emitting = false;
    this.started = false;
    this.stopped = false;
    this.inFlight = 0;
    this.flushTimer = null;
    this.flushAt = null;
    this.tickTimer = null;
    this.lastActivity = 0;
    this.addClickAt = null;
    this.consentCache = null;
    this.closing = null; // the core's plan for this page's end: {beacons, store, storeIfSent}
    this.closed = false;
    this.planPending = false;
    this.persisting = null; // the eventsPersist on its way
    this.persistAgain = null; // the one the changes since it was sent wait for
    this.pageType = ''; // the core's reading of this page, from the started stream's state
    this.stops = [];
  }

  // One call into the core (in a worker or in this thread): a promise of its answer.
  call(name, ...args) {
    return this.session.request(name, ...args);
  }

  debug(error) {
    if (this.instance.options.debug && typeof console !== 'undefined') console.warn('[cartkeep] events:', error);
  }

  // ------------------------------------------------------------------------------------------ effects

  apply(effects) {
    if (!effects || this.stopped) return effects;
    if (effects.clearStorage) this.storage.clear();
    for (const [key, text] of Object.entries(effects.store || {})) this.storage.set(key, text);
    if (effects.dataLayer && effects.dataLayer.length) {
      try {
        pushDataLayer(this.dataLayerName, effects.dataLayer);
      } catch (error) {
        this.debug(error);
      }
    }
    if (effects.consent) this.consentCache = effects.consent;
    if (effects.closing) this.closing = effects.closing; // current the moment the action's promise settles
    for (const { name, detail } of effects.emit || []) {
      this.emitting = true;
      try {
        this.instance.events.emit(name, detail);
      } finally {
        this.emitting = false;
      }
    }
    if ('flushAt' in effects) this.scheduleFlush(effects.flushAt);
    if ('deadline' in effects) this.scheduleTick(effects.deadline);
    if (effects.persisted) this.persisted(effects.persisted);
    else this.planClosing();
    return effects;
  }

  // A call whose answer is effects: carried out, then the closing plan brought up to date.
  async run(name, ...args) {
    if (this.stopped || !this.session.alive) return null;
    return this.apply(await this.call(name, ...args));
  }

  // Resolves with fn's value, or null after logging what it threw or rejected with.
  async safely(fn) {
    try {
      return await fn();
    } catch (error) {
      this.debug(error);
      return null;
    }
  }

  // ------------------------------------------------------------------------------------------ lifecycle

  async start() {
    const hasDom = typeof document !== 'undefined';
    const location = globalThis.location;
    const stored = {
      state: this.storage.get('state'),
      consent: this.storage.get('consent'),
      history: this.storage.get('history'),
      outboxes: this.storage.list('outbox:'),
      histories: this.storage.list('history:'),
    };
    const declared = hasDom ? declaredPageType() : '';
    const info = {
      pageId: this.pageId,
      now: Date.now(),
      url: location && location.href ? location.href : '',
      referrer: hasDom ? document.referrer : '',
      pageType: declared,
      gpc: readGpc(),
      stored,
    };
    this.stops.push(this.instance.events.tap((name, detail) => this.observe(name, detail)));
    this.stops.push(this.followCart());
    // Both asked at once: the engine answers in order, so the state is the started stream's.
    const starting = this.run('eventsStart', JSON.stringify(info));
    const state = this.call('eventsState', Date.now());
    state.catch(() => {}); // a failed start is what start() reports
    await starting;
    const { consent, pageType } = await state;
    this.consentCache = consent;
    this.pageType = pageType; // fixed for the page
    this.started = true;
    this.watchConsentSignals();
    if (hasDom) this.watchPage();
  }

  observe(name, detail) {
    if (this.emitting || !this.started || SKIP.has(name)) return;
    // instance.forget() (persistence): everything CartKeep stored goes, the event stream's history and queue too.
    if (name === 'forget') {
      this.safely(() => this.forget());
      return;
    }
    // The shopper's cart actions reached the stream inside the core (cartAction): see follow() below.
    if (name === 'cart-change' && detail && SHOPPER_ACTIONS.has(detail.action)) return;
    this.safely(() => this.run('eventsObserve', name, detailJson(name, detail), Date.now(), -1));
  }

  // A cart action carries the add-to-cart response time (click to the core's answer) and the stored history,
  // and its answer carries the stream's effects with what to store and the closing plan (no eventsPersist after it).
  followCart() {
    return this.instance.cart.follow({
      fields: (type) => {
        const fields = this.started && !this.stopped ? { eventsHistory: this.storage.get('history') || '' } : {};
        if (type !== 'add' || this.addClickAt === null) return fields;
        const elapsed = performance.now() - this.addClickAt;
        this.addClickAt = null;
        return elapsed >= 0 && elapsed < RESPONSE_WINDOW_MS ? { ...fields, responseMs: elapsed } : fields;
      },
      apply: (update) => { if (update.events) this.safely(() => this.apply(update.events)); },
    });
  }

  watchConsentSignals() {
    const report = (state) => this.safely(() => this.run('eventsConsent', state, 'signal', Date.now()));
    if (this.consentOptions.signal === 'tcf') this.stops.push(watchTcf(this.consentOptions.tcfPurposes || [1, 8], report));
    if (this.consentOptions.signal === 'gcm') {
      this.stops.push(watchConsentMode(this.dataLayerName || 'dataLayer', this.consentOptions.gcmType || 'analytics_storage', report));
    }
  }

  watchPage() {
    const listen = (target, type, handler, options) => {
      target.addEventListener(type, handler, options);
      this.stops.push(() => target.removeEventListener(type, handler, options));
    };
    const activity = () => {
      const now = Date.now();
      if (now - this.lastActivity < ACTIVITY_THROTTLE_MS) return;
      this.lastActivity = now;
      this.safely(() => this.run('eventsActivity', now));
    };
    for (const type of ['pointerdown', 'keydown', 'scroll', 'touchstart']) listen(document, type, activity, { passive: true, capture: true });
    // Add-to-cart response time: from the click to the cart and its widgets updated (the tap runs after listeners).
    listen(document, 'click', (event) => {
      const target = event.target && event.target.closest ? event.target.closest('[data-cartkeep-add]') : null;
      if (target) this.addClickAt = typeof event.timeStamp === 'number' && event.timeStamp > 0 ? event.timeStamp : performance.now();
    }, { capture: true });
    // Declarative checkout steps: the first focus or click inside <… data-cartkeep-checkout-step="name">.
    const stepFrom = (event) => {
      const element = event.target && event.target.closest ? event.target.closest('[data-cartkeep-checkout-step]') : null;
      if (!element || element.__cartkeepStepSeen) return;
      element.__cartkeepStepSeen = true;
      this.safely(() => this.track('checkout-step', { step: element.getAttribute('data-cartkeep-checkout-step') }));
    };
    listen(document, 'focusin', stepFrom, { capture: true });
    listen(document, 'click', stepFrom, { capture: true });
    listen(document, 'visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.persist();
      else this.safely(async () => { await this.run('eventsTick', Date.now()); await this.flush('timer'); });
    });
    listen(window, 'pagehide', () => this.onPagehide());
    listen(window, 'pageshow', (event) => { if (event.persisted) this.onPageshow(); });
    listen(window, 'online', () => this.flush('now'));
    // Checkout page timing, once the load event has ended: the core records it for cart and checkout pages
    // only, so other pages do not send it.
    const timing = () => setTimeout(() => this.safely(() => {
      const t = navigationTiming();
      if (t) this.run('eventsPageTiming', JSON.stringify(t), Date.now());
    }), 0);
    const timed = this.pageType === 'cart' || this.pageType === 'checkout';
    if (timed && document.readyState === 'complete') timing();
    else if (timed) listen(window, 'load', timing);
    this.declarative();
  }

  // <html|body data-cartkeep-checkout-step="…">, [data-cartkeep-checkout] and [data-cartkeep-purchase="ORDER"].
  declarative() {
    const root = document.documentElement;
    for (const element of [root, document.body]) {
      if (element && element.hasAttribute('data-cartkeep-checkout-step')) {
        element.__cartkeepStepSeen = true;
        this.safely(() => this.track('checkout-step', { step: element.getAttribute('data-cartkeep-checkout-step') }));
      }
    }
    if (document.querySelector('[data-cartkeep-checkout]')) this.safely(() => this.track('checkout-started'));
    const order = document.querySelector('[data-cartkeep-purchase]');
    if (order) {
      const amount = (name) => {
        const text = order.getAttribute(name);
        return text !== null && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
      };
      this.safely(() => this.purchase({
        orderId: order.getAttribute('data-cartkeep-purchase'),
        value: amount('data-cartkeep-value'),
        shipping: amount('data-cartkeep-shipping'),
        tax: amount('data-cartkeep-tax'),
        clearCart: order.getAttribute('data-cartkeep-keep-cart') === null,
      }));
    }
  }

  // The page is going: carry out the closing plan the core gave with its last persist (a worker cannot be
  // asked now), then tell the core, which hears it if the page comes back from the back/forward cache.
  onPagehide() {
    const plan = this.closing;
    if (plan) {
      let sent = 0;
      for (const batch of plan.beacons) {
        if (!queueBeacon(batch)) break; // after one refusal (the beacon quota) the rest stay stored for the next page
        sent += 1;
      }
      this.write(sent === plan.beacons.length ? plan.storeIfSent : plan.store);
    }
    this.closed = true;
    this.safely(() => this.call('eventsPersist', true, this.storage.get('history') || '', Date.now()));
    this.cancelTimers();
  }

  write(store) {
    for (const [key, text] of Object.entries(store || {})) this.storage.set(key, text);
  }

  onPageshow() {
    this.closed = false;
    this.safely(async () => {
      await this.run('eventsReclaim', this.storage.get(`outbox:${this.pageId}`) !== null, Date.now());
      await this.run('eventsTick', Date.now());
    });
    this.persist();
  }

  // Stores the outbox, the history (merged with other tabs') and the state, and keeps the closing plan. While
  // one is on its way, the changes after it share one more, sent when it is answered (with the history stored
  // by then): a page start's burst of changes costs two round trips, not one each.
  persist() {
    if (this.persisting) {
      this.persistAgain ||= this.persisting.then(() => {
        this.persistAgain = null;
        return this.persist();
      });
      return this.persistAgain;
    }
    const persisting = this.safely(async () => {
      this.persisted(await this.call('eventsPersist', false, this.storage.get('history') || '', Date.now()));
    }).finally(() => { if (this.persisting === persisting) this.persisting = null; });
    this.persisting = persisting;
    return persisting;
  }

  // eventsPersist's answer (or a cart action's `persisted`): written, and its closing plan kept.
  persisted({ store, closing }) {
    // Answered after pagehide (back from the cache: what the plan wrote stands) or after destroy (storage may
    // hold newer text by now): not written.
    if (this.closed || this.stopped) return;
    this.write(store);
    this.closing = closing || null;
  }

  // After each change, once per task: the plan must be current whenever the page may end.
  planClosing() {
    if (this.planPending || this.stopped) return;
    this.planPending = true;
    queueMicrotask(() => {
      this.planPending = false;
      if (!this.stopped) this.persist();
    });
  }

  // ------------------------------------------------------------------------------------------ timers

  scheduleFlush(at) {
    if (this.flushTimer !== null && this.flushAt === at) return;
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flushAt = at;
    if (at === null || at === undefined || this.stopped) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now()));
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush('timer');
    }, delay);
    this.flushTimer.unref?.(); // under Node a pending flush must not keep the process alive
  }

  scheduleTick(at) {
    if (this.tickTimer !== null) clearTimeout(this.tickTimer);
    this.tickTimer = null;
    if (at === null || at === undefined || this.stopped) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now()));
    this.tickTimer = setTimeout(() => {
      this.tickTimer = null;
      this.safely(() => this.run('eventsTick', Date.now()));
    }, delay);
    this.tickTimer.unref?.();
  }

  cancelTimers() {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    if (this.tickTimer !== null) clearTimeout(this.tickTimer);
    this.flushTimer = null;
    this.tickTimer = null;
    this.flushAt = null;
  }

  // Sends what the core says is due; resolves when those requests have been answered.
  async flush(reason = 'now') {
    if (this.stopped || !this.session.alive) return;
    const next = await this.safely(() => this.call('eventsNext', Date.now(), reason));
    // Stopped or closed while the core answered: the queue is stored for the next page, which sends it.
    if (!next || this.stopped || this.closed || !this.session.alive) return;
    if (next.closing) this.closing = next.closing; // the batches now in flight are no longer the plan's to send
    this.scheduleFlush(next.flushAt);
    await Promise.all(next.batches.map(async (batch) => {
      this.inFlight += 1;
      const { status, retryAfterMs } = await sendBatch(batch);
      this.inFlight -= 1;
      if (this.stopped || !this.session.alive) return;
      this.safely(() => this.run('eventsResult', batch.id, status, retryAfterMs, Date.now()));
    }));
  }

  // ------------------------------------------------------------------------------------------ API

  async track(name, detail = {}) {
    if (typeof name !== 'string') throw new CartKeepError('invalid-argument', 'expected an event name', 'name');
    const effects = await this.run('eventsTrack', name, JSON.stringify(detail ?? {}), Date.now());
    if (!effects || effects.ignored) return null;
    const own = (effects.emit || []).filter((e) => e.name === name);
    return own.length ? own[own.length - 1].detail : null;
  }

  async purchase(order = {}) {
    if (order === null || typeof order !== 'object') throw new CartKeepError('invalid-argument', 'expected {orderId, ...}', 'purchase');
    const { clearCart = true, ...detail } = order;
    for (const key of Object.keys(detail)) if (detail[key] === undefined) delete detail[key];
    const record = await this.track('purchase', detail);
    if (clearCart && this.instance.cart.count() > 0) await this.instance.cart.clear();
    return record;
  }

  async setConsent(state) {
    if (!['granted', 'denied', 'default'].includes(state)) {
      throw new CartKeepError('invalid-argument', `expected "granted", "denied" or "default", got ${JSON.stringify(state)}`, 'consent');
    }
    await this.run('eventsConsent', state, 'api', Date.now());
    return this.consentState();
  }

  // Read by every feature before it stores anything, so it is answered at once: the core's consent as of its
  // last answer (each answer that changes it carries it).
  consentState() {
    if (!this.consentCache) throw new CartKeepError('not-initialised', 'the event stream has not started');
    return structuredClone(this.consentCache);
  }

  // instance.forget() and tracking.forget(): everything the stream kept, here and in the core.
  async forget() {
    await this.run('eventsForget');
    this.consentCache = (await this.call('eventsState', Date.now())).consent;
  }

  async metrics(input) {
    let request = {};
    if (Array.isArray(input)) request = { events: input };
    else if (input && typeof input === 'object') request = input;
    else if (input !== undefined) throw new CartKeepError('invalid-argument', 'expected an array of events or {events, level}', 'metrics');
    const result = await this.call('eventsMetrics', JSON.stringify(request));
    if (result.damaged) {
      this.setAsideDamaged(result.damaged);
      this.planClosing(); // the stored history loses them too
    }
    delete result.damaged;
    return result;
  }

  // Stored history records the KPIs could not read: kept under `history-damaged` (the newest 20) for a look,
  // each reported once with an `error` event; the core has already left them out of the history.
  setAsideDamaged(damaged) {
    let kept = [];
    try { kept = JSON.parse(this.storage.get('history-damaged') || '[]'); } catch { kept = []; }
    if (!Array.isArray(kept)) kept = [];
    kept.push(...damaged.map(({ record, code, path, message }) => ({ record, code, path, message })));
    this.storage.set('history-damaged', JSON.stringify(kept.slice(-20)));
    for (const { code, path, message } of damaged) {
      this.instance.events.emit('error', { code, path, message, source: 'events-history' });
    }
  }

  // destroy(): this page will never send its queue, so it is stored as closed for the next page to adopt.
  stop() {
    if (this.stopped) return;
    if (this.closing) this.write(this.closing.store); // the queue stored closed: the next page sends it
    this.stopped = true;
    this.cancelTimers();
    for (const stop of this.stops.splice(0).reverse()) {
      try { stop(); } catch (error) { this.debug(error); }
    }
  }
}

// Starts the stream on an instance and gives it its public API: instance.track(), purchase(), metrics(),
// consent.{set, get} and tracking.{flush, state, cartId, forget, tick}.
export function attachTracking(instance) {
  const tracking = new Tracking(instance);
  instance.track = (name, detail) => tracking.track(name, detail);
  instance.purchase = (order) => tracking.purchase(order);
  instance.metrics = (input) => tracking.metrics(input);
  instance.consent = Object.freeze({
    set: (state) => tracking.setConsent(state),
    get: () => tracking.consentState(),
  });
  instance.cleanups.push(() => tracking.stop());
  // Behaviour's decisions come with the stream's effects: carried out here, as a cart action's are.
  if (instance.behaviour) instance.behaviour.onStream = (effects) => { tracking.safely(() => tracking.apply(effects)); };
  return Object.freeze({
    // Resolves once the stream has started (never rejects: the stream is optional, the cart works without it).
    started: tracking.start().catch((error) => tracking.debug(error)),
    flush: () => tracking.flush('now'),
    state: () => tracking.call('eventsState', Date.now()),
    cartId: async () => (await tracking.call('eventsState', Date.now())).cart,
    forget: () => tracking.forget(),
    // Runs the abandonment check as if it were `at` (ms since 1970): for tests and for pages that keep their own clock.
    tick: (at = Date.now()) => tracking.run('eventsTick', at),
  });
}
