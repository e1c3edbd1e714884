// instance.suggest({placement, productId, limit, gap}): suggestions the core computes from the item index,
// the catalog, the cart and the shopper's profile (product views with dwell time, cart adds, purchases).
// The profile never leaves the device: it lives in localStorage (options.suggestions.rememberProfile), and only
// while consent is granted; without consent it lasts for the page.
// The configured index loads once, when first needed: a <cartkeep-suggestions> nears the viewport, suggest()
// is called, or `ready` is read (prepare() starts it too), so a page that shows no suggestions never downloads
// it. Until it arrives, or when it is refused, suggestions come from popularity (result.source ===
// 'popularity') and nothing breaks.
// Every core call is a request (the core may run in a worker): suggest(), the tracking actions, status(),
// profile() and loadIndex() return promises. The views this file records itself (product pages, dwell) are
// sent without holding the page; a refusal is an `error` event.
import { CartKeepError, asCartKeepError } from '../engine/errors.js';
import { storageArea } from '../platform/storage.js';

const MIN_DWELL_MS = 250; // shorter visible spells are noise, not attention

function toBytes(input) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return null;
}

const clock = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
const pageVisible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';

export function createSuggestApi(instance) {
  const { session, events } = instance;
  const config = instance.options.suggestions || {};
  const storage = config.rememberProfile === false ? null : storageArea('local', { writable: true });
  const storageKey = config.storageKey || 'cartkeep:suggest-profile';
  // A dwell measured as the page goes away cannot wait for the core's answer: it is kept in this tab's
  // sessionStorage until the stored profile holds it, and the next page of the tab records it.
  const pendingArea = storage ? storageArea('session', { writable: true }) : null;
  const pendingKey = `${storageKey}:pending`;
  const stops = [];
  const reported = new Set();
  let stopped = false;

  const report = (error, context = {}) => instance.reportError(error, { source: 'suggestions', ...context });
  // Where suggestions come from, as of the core's last answer that said (no index before one loads).
  let source = 'popularity';
  const heard = (answer) => {
    if (answer && typeof answer.source === 'string') source = answer.source;
    return answer;
  };
  const status = async () => heard(await session.request('suggestStatus'));
  const changed = (cause) => {
    if (!stopped) events.emit('suggestions-change', { cause, source });
  };

  // The profile is browsing history: it is stored only while consent is granted (instance.consent, attached
  // after this API). Without consent it lives in memory for this page; withdrawing consent removes it.
  const storageAllowed = () => {
    try {
      return Boolean(instance.consent && instance.consent.get().state === 'granted');
    } catch {
      return false; // destroyed, or the event stream failed to start: store nothing
    }
  };

  // `profile`: the one the core just answered with (a cart action's), else read from the core. Never rejects.
  async function save(profile) {
    if (!storage || !storageAllowed()) return;
    try {
      const current = profile || await session.request('suggestProfile');
      if (storageAllowed()) storage.setItem(storageKey, JSON.stringify(current));
    } catch {
      // Quota or blocked storage (or the instance went): the profile still works for this page.
    }
  }

  function readPending() {
    try {
      const list = JSON.parse(pendingArea.getItem(pendingKey) || '[]');
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  }

  function writePending(list) {
    try {
      if (list.length) pendingArea.setItem(pendingKey, JSON.stringify(list));
      else pendingArea.removeItem(pendingKey);
    } catch {
      // blocked or full: the event is only as safe as the core's answer
    }
  }

  // Keeps `event` until the returned function is called (once it is in the stored profile, or refused).
  function holdPending(event) {
    if (!pendingArea || !storageAllowed()) return () => {};
    const text = JSON.stringify(event);
    writePending([...readPending(), event]);
    return () => {
      const list = readPending();
      const at = list.findIndex((held) => JSON.stringify(held) === text);
      if (at >= 0) list.splice(at, 1);
      writePending(list);
    };
  }

  // A stored profile is untrusted (any script or extension can write localStorage): the core validates it.
  // Resolves true when it was taken; the request is sent at once.
  async function restore(text) {
    if (!text) return false;
    try {
      await session.request('suggestRestoreProfile', text);
      return true;
    } catch (error) {
      report(error, { path: asCartKeepError(error).path || 'suggestions.profile' });
      try {
        storage.removeItem(storageKey);
      } catch {
        // nothing more to do
      }
      return false;
    }
  }

  async function track(event, { notify = true } = {}) {
    const result = await session.request('suggestTrack', JSON.stringify(event));
    await save();
    if (notify) changed('profile');
    return result;
  }

  // The free-shipping gap from the quote engine, in minor units; null when there is no free-shipping rule.
  async function freeShippingGap() {
    if (typeof instance.quote !== 'function') return null;
    try {
      const quote = await instance.quote();
      const progress = quote && quote.shippable !== false ? quote.freeShipping : null;
      return progress && Number.isSafeInteger(progress.remaining) ? progress.remaining : null;
    } catch {
      return null;
    }
  }

  async function suggest(request = {}) {
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      throw new CartKeepError('invalid-argument', 'expected {placement, productId, limit, gap}', 'request');
    }
    await prepare(); // never rejects: a failed index is an `error` event and the answer comes from popularity
    const payload = { ...request };
    // Replaying a log: without `now`, a suggestion is made at the time of the last event given its own time.
    if (payload.now === undefined) payload.now = replayedAt ?? Date.now();
    if (payload.placement === 'free-shipping' && (payload.gap === undefined || payload.gap === null)) {
      const gap = await freeShippingGap();
      if (gap === null) {
        return { placement: 'free-shipping', source, title: instance.options.strings['suggest.title.free-shipping'], gap: null, items: [], issues: [] };
      }
      payload.gap = gap;
    }
    return received(await session.request('suggest', JSON.stringify(payload)));
  }

  // Bad ids in a request (a product removed from the catalog) degrade to popularity and are reported once.
  function received(result) {
    heard(result);
    for (const issue of result.issues) {
      const key = `${issue.path}|${issue.message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      events.emit('error', { ...issue, source: 'suggestions' });
    }
    return result;
  }

  // A widget's standing view (js/engine/views.js) of suggestions, read once the index has loaded or failed, as
  // suggest() answers: openView() registers it (after the load, so its first result uses the index).
  async function fromView(openView) {
    await prepare();
    return received(await openView().current());
  }

  async function indexLoaded(answer) {
    try {
      return heard(await answer);
    } finally {
      changed('index');
    }
  }
  function loadIndex(input) {
    const bytes = toBytes(input);
    if (!bytes) return Promise.reject(new CartKeepError('invalid-argument', 'expected the index bytes as an ArrayBuffer or Uint8Array', 'suggestions.index'));
    return indexLoaded(session.request('suggestLoadIndex', bytes));
  }
  // The configured index: the engine fetches it itself, so its bytes never cross from the page to the worker.
  const loadIndexFrom = (url) => indexLoaded(session.requestWithFile('suggestLoadIndex', { url, code: 'index-load-failed', path: 'suggestions.index' }));

  // Loads the configured index and settles with the status once it has loaded or failed (never rejects).
  async function settleIndex() {
    if (stopped) return null;
    if (config.index) {
      try {
        const base = typeof document !== 'undefined' ? document.baseURI : undefined;
        let url;
        try {
          url = new URL(config.index, base).href;
        } catch {
          throw new CartKeepError('index-load-failed', `cannot resolve ${JSON.stringify(config.index)} without a page URL`, 'suggestions.index');
        }
        await loadIndexFrom(url);
      } catch (error) {
        if (stopped) return null;
        report(error);
      }
    }
    if (stopped) return null;
    let current;
    try {
      current = await status();
    } catch (error) {
      if (!stopped) report(error);
      return null;
    }
    if (stopped) return null;
    // Pins, boosts or popular ids the catalog lacks are ignored; say so once, where errors are heard.
    for (const issue of current.issues || []) {
      const key = `${issue.path}|${issue.message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      events.emit('error', { ...issue, source: 'suggestions' });
    }
    events.emit('suggestions-ready', current);
    return current;
  }
  // One load for every caller, started by the first that needs the index.
  let indexSettled = null;
  function prepare() {
    if (!indexSettled) indexSettled = settleIndex();
    return indexSettled;
  }
  // Without an index there is nothing to download: the status (and the option issues it names) comes at once.
  if (!config.index) prepare();

  // A product page view: recorded at once (so "recently viewed" is right away), then its dwell, counted
  // while the page is visible, is added when the view ends (stop(), the page hides or closes). Returns the
  // way to end it; a view the core refuses (a product not in the catalog) is an `error` event and records
  // no dwell.
  function startView(productId) {
    const id = String(productId);
    const recorded = track({ type: 'view', productId: id, at: eventTime(undefined), dwellMs: 0 }).then(() => true, (error) => {
      if (!stopped) report(error, { productId: id });
      return false;
    });
    let since = pageVisible() ? clock() : null;
    let ended = false;
    const flush = () => {
      if (since === null) return;
      const dwell = Math.round(clock() - since);
      since = null;
      if (dwell < MIN_DWELL_MS) return;
      const event = { type: 'view', productId: id, at: Date.now(), dwellMs: dwell };
      const release = holdPending(event);
      recorded.then((known) => known && track(event, { notify: false }))
        .then(release, (error) => {
          release();
          if (!stopped) report(error, { productId: id });
        });
    };
    const onVisibility = () => {
      if (pageVisible()) {
        if (since === null) since = clock();
      } else {
        flush();
      }
    };
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', onVisibility);
      globalThis.addEventListener('pagehide', flush);
    }
    const stop = () => {
      if (ended) return;
      ended = true;
      flush();
      if (typeof document !== 'undefined') {
        document.removeEventListener('visibilitychange', onVisibility);
        globalThis.removeEventListener('pagehide', flush);
      }
    };
    stops.push(stop);
    return stop;
  }

  // The time of the latest event recorded with its own `at` (a replayed log), the default `now` of suggest();
  // an event of the live page (no `at`) or forget() ends the replay: suggest() ranks at Date.now() again.
  let replayedAt = null;
  function eventTime(at) {
    replayedAt = at === undefined ? null : at;
    return at === undefined ? Date.now() : at;
  }

  // view('85123A', {dwellMs, at}) or view({productId, dwellMs, at}).
  async function view(productId, options = {}) {
    const event = productId !== null && typeof productId === 'object' ? productId : { ...options, productId };
    const { dwellMs = 0, at } = event;
    return track({ type: 'view', productId: String(event.productId), at: eventTime(at), dwellMs });
  }

  // The products of an order, hidden from suggestions for hideBoughtForDays; default: the cart's lines, read
  // at the call (before anything awaits: the `purchase` event comes before the cart is cleared).
  async function purchased(productIds, { at } = {}) {
    const ids = productIds === undefined ? instance.cart.lines().map((line) => line.productId) : productIds;
    if (!Array.isArray(ids)) throw new CartKeepError('invalid-argument', 'expected an array of product ids', 'productIds');
    if (!ids.length) return null;
    return track({ type: 'purchase', productIds: ids.map(String), at: eventTime(at) });
  }

  async function forget() {
    replayedAt = null;
    heard(await session.request('suggestForget'));
    if (pendingArea) writePending([]);
    if (storage) {
      try {
        storage.removeItem(storageKey);
      } catch {
        // already gone
      }
    }
    changed('profile');
  }

  // --- wiring ------------------------------------------------------------------------------------------
  let restoreStored = async () => {};
  if (storage) {
    // Another tab viewed or bought something: take its profile (only while storing is allowed).
    const onStorage = async (event) => {
      if (event.key !== storageKey || event.storageArea !== storage || !storageAllowed()) return;
      try {
        if (event.newValue === null) heard(await session.request('suggestForget'));
        else if (!(await restore(event.newValue))) return;
        changed('profile');
      } catch (error) {
        if (!stopped) report(error);
      }
    };
    if (typeof window !== 'undefined') {
      window.addEventListener('storage', onStorage);
      stops.push(() => window.removeEventListener('storage', onStorage));
    }
    // Consent given later stores what this page learnt; withdrawn, the stored profile goes.
    stops.push(events.on('consent-change', ({ state }) => {
      if (state === 'granted') return save();
      if (pendingArea) writePending([]);
      try {
        storage.removeItem(storageKey);
      } catch {
        // already gone
      }
      return undefined;
    }));
    // The instance calls this once its event stream (and with it instance.consent) has started: the stored
    // profile comes back, with what this page recorded meanwhile (its product view) replayed on top, and the
    // dwell the tab's previous page measured as it went away (untrusted: the core checks each event).
    restoreStored = async () => {
      if (stopped || !storageAllowed()) return;
      let text = null;
      try {
        text = storage.getItem(storageKey);
      } catch {
        text = null;
      }
      // Asked in the same turn, so nothing the page records comes between what it learnt and the restore.
      const learning = session.request('suggestProfile');
      const restoring = restore(text);
      let learnt;
      try {
        learnt = await learning;
      } catch (error) {
        if (!stopped) report(error);
        return;
      }
      const restored = await restoring;
      if (restored) {
        try {
          for (const [productId, at, dwellMs] of learnt.views) await session.request('suggestTrack', JSON.stringify({ type: 'view', productId, at, dwellMs }));
          for (const [productId, at] of learnt.cartAdds) await session.request('suggestTrack', JSON.stringify({ type: 'cart-add', productId, at }));
          for (const [productId, at] of learnt.purchases) await session.request('suggestTrack', JSON.stringify({ type: 'purchase', productIds: [productId], at }));
        } catch (error) {
          if (!stopped) report(error);
        }
      }
      const pending = pendingArea ? readPending() : [];
      let replayed = 0;
      for (const event of pending) {
        try {
          await session.request('suggestTrack', JSON.stringify(event));
          replayed += 1;
        } catch (error) {
          if (!stopped) report(error, { path: asCartKeepError(error).path || 'suggestions.pending' });
        }
      }
      if (restored || replayed) changed('profile');
      if (pending.length || learnt.views.length || learnt.cartAdds.length || learnt.purchases.length) await save();
      if (pending.length) writePending(readPending().slice(pending.length));
    };
  }
  // What the shopper adds reached the profile inside the core (cartAction); its answer carries the profile.
  stops.push(instance.cart.follow({ prepare: (update) => { if (update.suggest) save(update.suggest.profile); } }));
  // instance.purchase() (tracking) emits `purchase` before it clears the cart: the cart is the order.
  stops.push(events.on('purchase', (detail) => {
    const items = detail && Array.isArray(detail.items) ? detail.items.map((i) => i && (i.productId || i.id)).filter(Boolean) : null;
    purchased(items && items.length ? items : undefined).catch(report);
  }));

  // <body data-cartkeep-product="ID"> (the attribute the behaviour sensors read too) marks a product page.
  if (typeof document !== 'undefined' && typeof MutationObserver !== 'undefined') {
    let current = null;
    let stopCurrent = null;
    const sync = () => {
      const root = document.body || document.documentElement;
      const id = (root && root.getAttribute('data-cartkeep-product')) || document.documentElement.getAttribute('data-cartkeep-product') || null;
      if (id === current) return;
      if (stopCurrent) stopCurrent();
      stopCurrent = null;
      current = id;
      if (!id) return;
      stopCurrent = startView(id); // a product not in the catalog: reported, nothing recorded
    };
    const observer = new MutationObserver(sync);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-cartkeep-product'], subtree: true });
    sync();
    stops.push(() => observer.disconnect());
  }

  suggest.begin = restoreStored;
  suggest.prepare = prepare;
  suggest.fromView = fromView;
  Object.defineProperty(suggest, 'ready', { get: prepare, enumerable: true });
  suggest.status = status;
  suggest.loadIndex = loadIndex;
  suggest.view = view;
  suggest.startView = startView;
  suggest.purchased = purchased;
  suggest.profile = () => session.request('suggestProfile');
  suggest.forget = forget;
  suggest.freeShippingGap = freeShippingGap;
  suggest.stop = () => {
    if (stopped) return;
    for (const stop of stops.splice(0).reverse()) {
      try {
        stop();
      } catch {
        // keep stopping the rest
      }
    }
    stopped = true;
  };
  return suggest;
}
