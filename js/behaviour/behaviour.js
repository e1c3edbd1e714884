// instance.behaviour: forwards raw, timestamped observations to the core (which does the dwell accounting,
// exit-intent classification, risk score, playbook and caps) and turns the core's decisions into events.
// The JS keeps no behaviour state of its own beyond one timer (only while the page is visible, only when
// the core asks for one) and the persisted cap counters (localStorage), which the core owns.
//
// Privacy: the visitor id (holdout bucket, caps) and the session id are written to storage only while
// consent is granted (instance.consent). Without consent the caps of this visit (counts, times, the holdout
// bit and coupon deadlines: no identifier) are kept in sessionStorage, so they hold across the visit's pages;
// a consent given later stores the ids and caps, consent withdrawn removes the ids.
import { SHOPPER_ACTIONS } from '../store/cart.js';
import { randomId } from '../platform/ids.js';
import { storageArea } from '../platform/storage.js';
import { CartKeepError } from '../engine/errors.js';

const STORE_KEY = 'cartkeep:behaviour';
const VISITOR_KEY = 'cartkeep:visitor';
const SESSION_KEY = 'cartkeep:session';
const VISIT_KEY = 'cartkeep:nudge-visit'; // this tab's caps without ids (no consent needed: nothing identifies)
const now = () => performance.now();
// The pointer's hot path: the core's deadline does not move with these, so they ask for no new timer.
const FREQUENT = new Set(['behaviourMove', 'behaviourKey', 'behaviourScroll']);

export class BehaviourApi {
  constructor(instance) {
    this.instance = instance;
    this.session = instance.session;
    this.options = instance.options.behaviour || { enabled: false };
    this.nudgeOptions = instance.options.nudges || { enabled: false };
    this.timer = null;
    this.deadline = Infinity;
    this.changes = 0; // calls sent that may change the core's behaviour state
    this.asking = null; // the deadline request on its way: {after: the changes sent before it, answer}
    this.started = false;
    this.onDecision = null; // set by the instance: (output) => void
    this.onStream = null; // set by the event stream: (effects) => void, what it made of the decisions drained
    this.replaying = false; // a replayed trace's decisions are the caller's: the stream records none of them
    this.local = storageArea('local', { writable: true });
    this.sessionStore = storageArea('session', { writable: true });
    this.ids = null; // {visitor, session}: this page's, whether or not they are stored
  }

  // Storage beyond the cart needs consent (instance.consent, from the event stream's consent state).
  storageAllowed() {
    try {
      return Boolean(this.instance.consent && this.instance.consent.get().state === 'granted');
    } catch {
      return false; // destroyed, or the stream failed to start: store nothing
    }
  }

  // --- observations -----------------------------------------------------------------------------------
  // Each is one call into the core (in the engine's worker, or in this thread); its answer is the number of
  // decisions waiting, drained then. Resolves once they are handled; rejects with the CartKeepError of a time
  // the core refused (NaN, negative, before the previous observation), which the instance reports as `error`
  // too, since the sensors do not wait.
  observeRaw(name, ...args) {
    const done = this.after(this.changing(this.session.rawRequest(name, ...args)), { reschedule: !FREQUENT.has(name) });
    done.catch((error) => this.refused(error)); // a call racing destroy() is no page error; callers that wait see it
    return done;
  }

  refused(error) {
    if (error instanceof CartKeepError && error.code === 'invalid-argument' && !this.instance.destroyed) {
      this.instance.reportError(error, { source: 'behaviour' });
    }
  }

  move(t, x, y) { return this.observeRaw('behaviourMove', t, x, y); }
  // A frame's pointer samples ([[t, x, y], ...], oldest first) in one message; each still reaches the core.
  moves(samples) {
    const done = this.after(this.changing(this.session.rawBatchRequest('behaviourMove', samples)), { reschedule: false });
    done.catch((error) => this.refused(error)); // as observeRaw's
    return done;
  }
  out(t, x, y) { return this.observeRaw('behaviourOut', t, x, y); }
  down(t, x, y) { return this.observeRaw('behaviourDown', t, x, y); }
  key(t) { return this.observeRaw('behaviourKey', t); }
  scroll(t, y) { return this.observeRaw('behaviourScroll', t, y); }
  visibility(t, hidden) { return this.observeRaw('behaviourVisibility', t, Boolean(hidden)); }
  blur(t, intoFrame) { return this.observeRaw('behaviourBlur', t, Boolean(intoFrame)); }
  focus(t) { return this.observeRaw('behaviourFocus', t); }
  pageHide(t, persisted) { return this.observeRaw('behaviourPageHide', t, Boolean(persisted)); }
  pageShow(t, persisted) { return this.observeRaw('behaviourPageShow', t, Boolean(persisted)); }
  route(t, path, declaredType = '', productId = '') {
    return this.observeRaw('behaviourRoute', t, String(path), String(declaredType || ''), String(productId || ''));
  }
  card(t, productId, visible) { return this.observeRaw('behaviourCard', t, String(productId), Boolean(visible)); }
  field(t, kind, focused) { return this.observeRaw('behaviourField', t, String(kind), Boolean(focused)); }
  select(t, open) { return this.observeRaw('behaviourSelect', t, Boolean(open)); }
  cartState(t, count, subtotal, action) { return this.observeRaw('behaviourCart', t, count, subtotal, String(action)); }
  costPreview(t) { return this.observeRaw('behaviourCostPreview', t); }
  back(t) { return this.observeRaw('behaviourBack', t); }
  viewport(t, width, height, touch) { return this.observeRaw('behaviourViewport', t, width, height, Boolean(touch)); }
  tick(t) { return this.observeRaw('behaviourTick', t); }

  // Public: the page tells CartKeep about progress it cannot see (a checkout step) or the order.
  progress() { return this.observeRaw('behaviourProgress', now()); }
  async converted() {
    await this.observeRaw('behaviourConvert', now());
    await this.persist();
  }

  nudgeOutcome(id, outcome) { return this.observeRaw('behaviourNudge', now(), String(id), String(outcome)); }

  // One observation in trace form: [t, "move", x, y] ... (the same calls the sensors make).
  observe(event) {
    if (!Array.isArray(event) || typeof event[0] !== 'number' || typeof event[1] !== 'string') {
      throw new CartKeepError('invalid-argument', 'expected [time, kind, ...]', 'observation');
    }
    const [t, kind, a, b, c] = event;
    switch (kind) {
      case 'move': return this.move(t, a, b);
      case 'out': return this.out(t, a, b);
      case 'down': return this.down(t, a, b);
      case 'key': return this.key(t);
      case 'scroll': return this.scroll(t, a);
      case 'visibility': return this.visibility(t, a === 'hidden');
      case 'blur': return this.blur(t, a === true);
      case 'focus': return this.focus(t);
      case 'pagehide': return this.pageHide(t, a === true);
      case 'pageshow': return this.pageShow(t, a === true);
      case 'route': return this.route(t, a, b, c);
      case 'card': return this.card(t, a, b === true);
      case 'field': return this.field(t, a, b === true);
      case 'select': return this.select(t, a === true);
      case 'cart': return this.cartState(t, a, b, c);
      case 'viewport': return this.viewport(t, a, b, c === true);
      case 'tick': return this.tick(t);
      case 'back': return this.back(t);
      default:
        // session, cost-preview, progress, convert, nudge: rare; the core reads them from JSON.
        return this.after(this.changing(this.session.request('behaviourObserve', JSON.stringify(event))));
    }
  }

  // Replays a trace ({events} or an array) through observe() and resolves with every decision, oldest first.
  async replay(trace) {
    const events = Array.isArray(trace) ? trace : trace && trace.events;
    if (!Array.isArray(events)) throw new CartKeepError('invalid-argument', 'expected an array of observations', 'trace.events');
    const outputs = [];
    const previous = this.onDecision;
    this.onDecision = (output) => outputs.push(output);
    this.replaying = true;
    try {
      for (const event of events) await this.observe(event);
    } finally {
      this.onDecision = previous;
      this.replaying = false;
    }
    return outputs;
  }

  // --- state ----------------------------------------------------------------------------------------
  dwell() { return this.session.request('behaviourDwell', now()); }
  risk() { return this.session.request('behaviourRisk', now()); }
  summary() { return this.session.request('behaviourSummary', now()); }
  caps() { return this.session.request('behaviourCaps'); }
  // The raw observations forwarded so far (only with options.behaviour.record: true).
  recorded() { return this.session.request('behaviourRecorded'); }

  // --- plumbing ---------------------------------------------------------------------------------------
  async after(pending, { reschedule = true } = {}) {
    try {
      if (await pending) await this.flush();
    } finally {
      if (this.started && reschedule) await this.schedule();
    }
  }

  // The decisions, then what the event stream made of them (the core recorded them as it drained them).
  async flush() {
    if (!this.session.alive) return;
    const { outputs, events, error } = await this.changing(this.session.request('behaviourDrain', Date.now(), !this.replaying));
    this.handle(outputs);
    if (events && this.onStream) this.onStream(events);
    if (error) throw new CartKeepError(error.code, error.message, error.path);
  }

  // The decisions the core made on a cart action (cartAction's `behaviour`): handled as a drain's, and the
  // timer moved to the deadline the core gave with them. The cart changed whatever behaviour made of its time.
  taken({ outputs, deadline, error }) {
    this.handle(outputs);
    if (this.started) this.scheduleAt(deadline ?? Infinity, now());
    if (error) this.refused(new CartKeepError(error.code, error.message, error.path));
  }

  handle(outputs) {
    let capsChanged = false;
    for (const output of outputs) {
      if (output.type === 'nudge') capsChanged = true;
      if (this.onDecision) this.onDecision(output);
    }
    if (capsChanged) this.persist();
  }

  // A call that may change the core's behaviour state (its deadline among it): counted, see schedule().
  changing(pending) {
    this.changes += 1;
    return pending;
  }

  // One timer, at the core's next deadline, never while hidden (the sensors cancel it on hide). The engine
  // answers in order, so a deadline asked after the last change already counts it: the observations answered
  // while it is on its way (a page start's, a burst of the sensors') share it instead of asking again.
  schedule() {
    if (!this.session.alive) return Promise.resolve();
    if (this.hidden()) return Promise.resolve(this.scheduleAt(Infinity, now()));
    if (this.asking && this.asking.after === this.changes) return this.asking.answer;
    const asking = { after: this.changes };
    asking.answer = this.session.rawRequest('behaviourDeadline', now())
      .then((deadline) => this.scheduleAt(deadline, now())) // the deadline is a time, and the answer took some: wait from now
      .finally(() => { if (this.asking === asking) this.asking = null; });
    this.asking = asking;
    return asking.answer;
  }

  hidden() {
    return typeof document !== 'undefined' && document.visibilityState === 'hidden';
  }

  scheduleAt(coreDeadline, t) {
    const deadline = this.hidden() ? Infinity : coreDeadline;
    if (deadline === this.deadline && this.timer !== null) return;
    this.cancelTimer();
    this.deadline = deadline;
    if (!Number.isFinite(deadline)) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.deadline = Infinity;
      if (this.session.alive) this.tick(now()).catch(() => {}); // destroyed meanwhile
    }, Math.max(0, Math.ceil(deadline - t)));
    this.timer.unref?.(); // under Node a pending deadline must not keep the process alive
  }

  cancelTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.deadline = Infinity;
  }

  // Visitor and session ids, the wall clock, and the stored caps: the core decides a new visit from them.
  // Without consent the ids are new for this page (never stored) and the caps come from this visit's
  // id-free record in sessionStorage.
  async startSession({ hidden = false } = {}) {
    const allowed = this.storageAllowed();
    const visitor = allowed && this.local ? this.local.getItem(VISITOR_KEY) : null;
    const sessionId = allowed && this.sessionStore ? this.sessionStore.getItem(SESSION_KEY) : null;
    const read = (storage, key) => {
      try {
        return storage ? JSON.parse(storage.getItem(key) || 'null') : null;
      } catch {
        return null; // a damaged entry starts fresh
      }
    };
    const stored = allowed ? read(this.local, STORE_KEY) : read(this.sessionStore, VISIT_KEY);
    this.ids = { visitor: visitor || randomId(24), session: sessionId || randomId(24) };
    const info = { visitor: this.ids.visitor, session: this.ids.session, epochMs: Date.now(), stored, hidden, anonymous: !allowed };
    this.started = true;
    await this.after(this.changing(this.session.request('behaviourSession', now(), JSON.stringify(info))));
    await this.persist();
  }

  // Writes the visit's caps without ids always, and the ids and the caps only with consent.
  async persist() {
    if (!this.ids || !this.session.alive) return;
    let caps;
    try {
      caps = await this.caps();
    } catch {
      return; // destroyed meanwhile
    }
    try {
      if (this.sessionStore) {
        const { visitor, session, visits, ...visit } = caps;
        this.sessionStore.setItem(VISIT_KEY, JSON.stringify(visit));
      }
      if (!this.storageAllowed()) return;
      if (this.local) {
        this.local.setItem(VISITOR_KEY, this.ids.visitor);
        this.local.setItem(STORE_KEY, JSON.stringify(caps));
      }
      if (this.sessionStore) this.sessionStore.setItem(SESSION_KEY, this.ids.session);
    } catch {
      // quota: the caps still hold for this page
    }
  }

  // consent-change: granted stores this page's ids and caps; anything else removes what was stored.
  consentChanged(state) {
    if (state === 'granted') return this.persist();
    try {
      if (this.local) {
        this.local.removeItem(VISITOR_KEY);
        this.local.removeItem(STORE_KEY);
      }
      if (this.sessionStore) this.sessionStore.removeItem(SESSION_KEY);
    } catch {
      // storage went away: nothing left to remove
    }
    return undefined;
  }

  stop() {
    this.started = false;
    this.cancelTimer();
    this.onDecision = null;
    this.onStream = null;
  }
}

// Wires behaviour into an instance: the core session, the DOM sensors (unless options.behaviour.sensors is
// false, or there is no DOM), the cart, the events (`exit-intent`, `risk`, `nudge-shown`, `nudge-accepted`,
// `nudge-dismissed`, `nudge-held-out`) and the nudge dialog. Registers its own cleanup on the instance.
export function attachBehaviour(instance, { startSensors, showNudgeDialog, prepareNudge = async () => ({}) } = {}) {
  const api = new BehaviourApi(instance);
  if (!api.options.enabled) return api;
  const events = instance.events;
  let dialog = null;
  api.onDecision = (output) => {
    if (output.type === 'exit-intent') {
      const { type, ...detail } = output;
      events.emit('exit-intent', detail);
    } else if (output.type === 'risk') {
      events.emit('risk', { t: output.t, score: output.score, reasons: output.reasons });
    } else if (output.type === 'nudge') {
      const detail = { id: output.id, rule: output.rule, trigger: output.trigger, offer: output.offer, risk: output.risk };
      if (output.heldOut) {
        events.emit('nudge-held-out', detail);
        return;
      }
      if (!showNudgeDialog || typeof document === 'undefined' || dialog) {
        events.emit('nudge-shown', { ...detail, rendered: false });
        return;
      }
      if (output.trigger === 'back-button') api.guardHolding = true;
      // The slot is taken while the dialog's own data is asked for, so a second nudge cannot open beside it.
      const preparing = { close() { preparing.cancelled = true; } };
      dialog = preparing;
      prepareNudge(instance, output).catch(() => ({})).then((prepared) => {
        if (preparing.cancelled || instance.destroyed) return;
        dialog = showNudgeDialog(instance, output, {
          prepared,
          onClose(outcome) {
            dialog = null;
            api.guardHolding = false;
            if (instance.destroyed) return;
            api.nudgeOutcome(output.id, outcome).catch(() => {});
            events.emit(outcome === 'accepted' ? 'nudge-accepted' : 'nudge-dismissed', detail);
            if (output.trigger === 'back-button' && outcome !== 'accepted' && api.guardBack) api.guardBack();
          },
        });
        events.emit('nudge-shown', { ...detail, rendered: true });
      });
    } else if (output.type === 'nudge-skipped' && instance.options.debug) {
      events.emit('nudge-skipped', { trigger: output.trigger, reason: output.reason });
    }
  };
  // The shopper's cart actions reach the core's behaviour inside the core (cartAction); a cart the core
  // changed on its own (a restore, another tab, a resume link) is told here.
  const offAction = instance.cart.follow({ apply: (update) => { if (update.behaviour) api.taken(update.behaviour); } });
  const offCart = instance.on('cart-change', ({ action, cart: snapshot }) => {
    if (!SHOPPER_ACTIONS.has(action)) api.cartState(performance.now(), snapshot.count, snapshot.subtotal, action);
  });
  const offConsent = instance.on('consent-change', ({ state }) => api.consentChanged(state));
  let stopSensors = null;
  // Called by the instance once its event stream (and with it instance.consent) has started: the session
  // must know the consent before it touches storage.
  api.begin = async () => {
    if (typeof document === 'undefined' || !startSensors || api.options.sensors === false) return;
    if (instance.destroyed || !api.session.alive) return;
    await api.startSession({ hidden: document.visibilityState === 'hidden' });
    if (instance.destroyed) return;
    const cart = instance.cart.get();
    api.cartState(performance.now(), cart.count, cart.subtotal, 'init');
    stopSensors = startSensors(api, api.options, {
      onHidden: () => api.cancelTimer(),
      onVisible: () => api.schedule(),
    });
  };
  instance.cleanups.push(() => {
    offAction();
    offCart();
    offConsent();
    if (stopSensors) stopSensors();
    if (dialog) dialog.close('dismissed');
    api.stop();
  });
  return api;
}
