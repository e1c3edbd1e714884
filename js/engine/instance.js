// A running CartKeep: the core session plus the DOM it added. destroy() takes all of it away again.
import { CartApi } from '../store/cart.js';
import { CatalogApi } from '../store/catalog.js';
import { bindAddToCartButtons } from '../store/add-to-cart.js';
import { followCartPresence } from '../store/cart-presence.js';
import { LiveRegion } from '../platform/live-region.js';
import { attachBehaviour } from '../behaviour/behaviour.js';
import { asCartKeepError } from './errors.js';
import { EventHub } from './event-hub.js';
import { ViewStore } from './views.js';
import { formatMoney } from '../platform/format.js';
import { Persistence } from '../persistence/persistence.js';
import { startSensors } from '../behaviour/sensors.js';
import { prepareNudge, showNudgeDialog } from '../behaviour/nudge-dialog.js';
import { createQuoteApi } from '../quote/quote.js';
import { createSuggestApi } from '../suggest/suggest.js';
import { attachTracking } from '../events/events.js';
import { attachInstance, detachInstance } from '../platform/widget-registry.js';

export class CartKeepInstance {
  // cart: the core's cart as init left it (create() asks for it); productsJson: the catalog as init answered it.
  constructor(session, options, jsOptions = {}, { cart, productsJson }) {
    this.session = session;
    this.options = Object.freeze(options); // normalised by the core: currency, locale, direction, strings, ...
    this.events = new EventHub();
    this.catalog = new CatalogApi(productsJson);
    this.cart = new CartApi(session, this.events, cart);
    // What the widgets show, kept up to date by the core (views.js); made before any widget listens.
    this.views = new ViewStore(this);
    // Saved cart, cross-tab sync, resume links; api.js awaits persistence.start() before init resolves.
    this.persistence = new Persistence(this, { storage: jsOptions.persistenceStorage, clock: jsOptions.persistenceClock });
    this.cleanups = [];
    this.destroyed = false;
    this.cleanups.push(() => this.persistence.stop());
    this.cleanups.push(() => this.views.stop());
  }

  static async create(session, options, jsOptions, productsJson) {
    const cart = await session.request('cart');
    const instance = new CartKeepInstance(session, options, jsOptions, { cart, productsJson });
    await instance.attachFeatures();
    return instance;
  }

  async attachFeatures() {
    this.quote = await createQuoteApi(this); // instance.quote({destination, coupon, method}) and its helpers
    // instance.suggest({placement, productId, limit, gap}); the shopper's profile stays on this device.
    this.suggest = createSuggestApi(this);
    this.cleanups.push(() => this.suggest.stop());
    this.behaviour = attachBehaviour(this, { startSensors, showNudgeDialog, prepareNudge }); // dwell, exit intent, risk, nudges
    this.tracking = attachTracking(this); // the event stream: track(), purchase(), consent, metrics(); last, to see the others
    await this.tracking.started;
    await this.suggest.begin(); // the stored profile, now that consent is known
    if (this.behaviour.begin) await this.behaviour.begin().catch((error) => this.reportError(error, { source: 'behaviour' }));
  }

  // The widgets and buttons take this instance once the saved cart is in place (api.js), with the cart's quote
  // asked first: every widget then renders from what the page already holds, in the same frame as the cart, so
  // nothing arrives a frame later and pushes the page down.
  async showWidgets() {
    if (typeof document === 'undefined' || this.destroyed) return;
    await this.quote().catch(() => null);
    if (!this.destroyed) this.mountDom();
  }

  mountDom() {
    const region = new LiveRegion(this.options.direction, this.options.locale);
    this.announce = (text) => region.announce(text);
    this.cleanups.push(() => region.remove());
    this.cleanups.push(bindAddToCartButtons(this, {
      strings: this.options.strings,
      announce: this.announce,
      reportError: (error, context) => this.reportError(error, context),
    }));
    this.cleanups.push(followCartPresence(this, () => this.persistence.status().saved));
    attachInstance(this);
    this.cleanups.push(() => detachInstance(this));
  }

  announce() {}

  // The engine's worker died and a new one replayed its set-up (worker-session.js): the new engine takes the
  // cart from the last saved snapshot, as a new page would, through `call` (the new worker, before any waiting
  // call). The page's cart changes only if the snapshot differs from what it shows.
  async engineRestarted(call) {
    const cart = await this.persistence.restoreAfterRestart(call);
    const shown = this.cart.snapshot;
    const same = cart.count === shown.count && cart.subtotal === shown.subtotal &&
      JSON.stringify(cart.lines) === JSON.stringify(shown.lines);
    if (same) this.cart.snapshot = cart;
    else this.cart.replaced(cart, 'restore');
    // behaviour's core heard of the cart when its sensors started (a page only); the new one hears it now, sent
    // once the restart is done.
    if (this.behaviour && this.behaviour.started) this.behaviour.cartState(performance.now(), cart.count, cart.subtotal, 'init');
  }

  on(name, listener) {
    return this.events.on(name, listener);
  }

  off(name, listener) {
    this.events.off(name, listener);
  }

  // The abandonment risk now: a promise of {score 0..1, reasons[{signal, strength, contribution}]}.
  risk() {
    return this.behaviour.risk();
  }

  // Wipes the saved cart (and every other trace CartKeep stored for this store) in every tab.
  forget() {
    return this.persistence.forget();
  }

  formatMoney(minor) {
    return formatMoney(minor, this.options);
  }

  // Errors the shopper caused in the page (a button, a widget) are events, never exceptions.
  reportError(error, context = {}) {
    const failure = asCartKeepError(error);
    this.events.emit('error', { code: failure.code, path: failure.path, message: failure.message, ...context });
  }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.events.emit('destroy', {});
    for (const cleanup of this.cleanups.splice(0).reverse()) cleanup();
    this.events.clear();
    this.session.dispose();
  }
}
