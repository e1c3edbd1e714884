// The widgets' standing views (Engine::viewRegister, core/engine/engine_views.cpp): a widget registers what it
// shows once ({kind: "quote" | "suggest" | "resume-link", request}), and the core brings each view up to date
// itself. A shopper's cart action answers with the views it changed (cartAction's `views`), taken here before
// `cart-change` is emitted, so the widgets render from the page's copy without asking again. A change the page
// hears of otherwise (a choice, the suggestion profile or index, a cart the core changed on its own, the
// saved context, a new minute) asks for the changed views in one call (viewsRefresh), once per task.
import { coreJson } from './core-session.js';
import { CartKeepError } from './errors.js';
import { SHOPPER_ACTIONS } from '../store/cart.js';

// A result the state made fail ({error: {code, path, message}}) is thrown as the call would have thrown it.
function valueOf(result) {
  if (result && typeof result === 'object' && result.error && typeof result.error.code === 'string') {
    throw new CartKeepError(result.error.code, result.error.message, result.error.path || '');
  }
  return structuredClone(result);
}

export class ViewStore {
  constructor(instance) {
    this.instance = instance;
    this.session = instance.session;
    this.views = new Map(); // key -> {result, onChange}
    this.nextKey = 0;
    this.refreshing = null; // the latest refresh, until it is answered
    this.queued = null; // a refresh not sent yet: later changes join it
    this.stops = [
      instance.cart.follow({ prepare: (update) => this.take(update.views) }),
      // Subscribed before any widget: a widget that hears the same event reads after the refresh.
      instance.events.on('cart-change', ({ action }) => { if (!SHOPPER_ACTIONS.has(action)) this.refresh(); }),
      instance.events.on('quote-change', () => this.refresh()),
      instance.events.on('suggestions-change', () => this.refresh()),
    ];
  }

  // The engine's clocks for the views: the wall clock (the engine adds the store's local minute itself).
  clocks() {
    return { at: Date.now() };
  }

  // Registers `spec`; onChange() runs when a refresh changed its result. The handle's current() resolves with
  // the result as of the latest answer (or rejects with the registration's error or the result's).
  open(spec, onChange = () => {}) {
    this.nextKey += 1;
    const key = `v${this.nextKey}`;
    const view = { result: undefined, onChange };
    const registered = this.session.request('viewRegister', key, coreJson(spec), coreJson(this.clocks()))
      .then((result) => {
        if (this.views.get(key) === view && view.result === undefined) view.result = result;
        return true;
      });
    registered.catch(() => {}); // current() reports it
    this.views.set(key, view);
    return {
      key,
      current: async () => {
        await registered;
        if (this.refreshing) await this.refreshing;
        return valueOf(view.result);
      },
      close: () => {
        if (this.views.get(key) !== view) return;
        this.views.delete(key);
        registered.then(() => {
          if (this.session.alive) this.session.request('viewUnregister', key).catch(() => {});
        }, () => {});
      },
    };
  }

  // The views an answer brought ({key: result}); those of closed views are dropped.
  take(results) {
    const changed = [];
    for (const [key, result] of Object.entries(results || {})) {
      const view = this.views.get(key);
      if (!view) continue;
      view.result = result;
      changed.push(view);
    }
    return changed;
  }

  // Asks the core for the views a change made elsewhere touched: one call for the changes of a task, after any
  // refresh already on its way (it may have been asked before this change). Never rejects.
  refresh() {
    if (!this.views.size || this.instance.destroyed || !this.session.alive) return Promise.resolve();
    if (this.queued) return this.queued;
    const queued = (this.refreshing || Promise.resolve())
      .then(() => {
        this.queued = null;
        return this.session.request('viewsRefresh', coreJson(this.clocks()));
      })
      .then((results) => {
        for (const view of this.take(results)) view.onChange();
      }, () => {})
      .finally(() => {
        if (this.refreshing === queued) this.refreshing = null;
      });
    this.queued = queued;
    this.refreshing = queued;
    return queued;
  }

  stop() {
    for (const stop of this.stops.splice(0)) stop();
    this.views.clear();
  }
}
