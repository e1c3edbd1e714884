import { coreJson } from '../engine/core-session.js';

// A quantity typed in a field or written in markup: decimal digits give that number; any other text goes on
// as text, which the core refuses (so "0x10" or "1e2" is an error, not 16 or 100).
export function quantityFromText(text) {
  const trimmed = String(text ?? '').trim();
  return /^[0-9]{1,10}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

// instance.cart: each change is one call into the core (cartAction), which passes the change on to its own
// features and answers with everything the page must carry out. Changes are promises (the core may run in a
// worker); the reads (get, lines, count, subtotal) answer at once from the core's last answer. Followers (behaviour, the event stream,
// suggestions, persistence, the quote) add their fields to the action and take their part of the answer:
// `prepare` before the listeners of `cart-change` (what the widgets will read), `apply` after them.
const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

// The cart.* calls: the core tells its own features of these (cartAction); any other cart-change action (a
// restore, another tab, a resume link) is a cart the core changed on its own.
export const SHOPPER_ACTIONS = new Set(['add', 'set-quantity', 'remove', 'clear']);

function quantityOf(cart, productId) {
  const line = productId === undefined ? null : cart.lines.find((l) => l.productId === productId);
  return line ? line.quantity : 0;
}

// A set-quantity or remove the shopper made on `seen` units of a line, carried over to the line that other tabs
// changed by `elsewhere` units meanwhile, by the saved cart's merge rule (docs/persistence.md): units added
// elsewhere survive, and a decrease here and one elsewhere remove the same units, once. The absolute quantity
// sent as it is would overwrite the units the shopper never saw.
function rebase(action, seen, elsewhere) {
  if (elsewhere === 0) return;
  if (action.type === 'remove') {
    if (elsewhere > 0 && seen > 0) Object.assign(action, { type: 'set-quantity', quantity: elsewhere });
    return;
  }
  const wanted = action.quantity;
  if (action.type !== 'set-quantity' || !Number.isSafeInteger(wanted) || wanted < 0) return; // the core judges it
  const quantity = elsewhere > 0 || wanted >= seen ? wanted + elsewhere : Math.min(wanted, seen + elsewhere);
  action.quantity = Math.max(0, quantity);
}

export class CartApi {
  constructor(session, events, snapshot) {
    this.session = session;
    this.events = events;
    this.followers = [];
    this.snapshot = snapshot; // the core's cart as of its last answer: what the reads below return
    this.held = null; // the sending of the last action that waited (send), until it is sent
    this.rebasing = new Set(); // per waiting action: the units changes made elsewhere brought to its line
  }

  static async load(session, events) {
    return new CartApi(session, events, await session.request('cart'));
  }

  // follower: {fields?(type) -> extra action fields, prepare?(update), apply?(update), pending?() -> a promise
  // while a cart the core changed on its own is on its way to the page, else null}; returns the way to stop.
  follow(follower) {
    this.followers.push(follower);
    return () => { this.followers = this.followers.filter((f) => f !== follower); };
  }

  // Resolves with the cart once the core has answered and every follower and listener has run; rejects with
  // the core's CartKeepError, the cart unchanged. Actions are answered in the order they were made.
  async apply(type, productId, quantity) {
    const action = { type, at: Date.now(), pageMs: now() };
    if (productId !== undefined) action.productId = String(productId);
    if (quantity !== undefined) action.quantity = quantity;
    for (const follower of this.followers) if (follower.fields) Object.assign(action, follower.fields(type));
    const update = await this.send(action);
    this.snapshot = update.cart;
    if (update.changed) {
      for (const follower of this.followers) if (follower.prepare) follower.prepare(update);
      this.events.emit('cart-change', { action: action.type, productId: action.productId ?? null, cart: this.get() });
      for (const follower of this.followers) if (follower.apply) follower.apply(update);
    }
    return this.get();
  }

  // Sends the action to the core at once, unless a cart the core changed on its own (another tab's units,
  // storage, a link) is still on its way to the page: the shopper acted on the cart they saw, so the action
  // waits for that cart and is then carried over to it (rebase), and later actions wait behind it, in order.
  // Resolves with the core's answer.
  send(action) {
    const previous = this.held;
    if (!previous && !this.pendingChanges()) return this.session.request('cartAction', coreJson(action));
    const seen = quantityOf(this.snapshot, action.productId);
    const elsewhere = { productId: action.productId, units: 0 }; // what changes made elsewhere did to the line meanwhile
    this.rebasing.add(elsewhere);
    let answer;
    const sent = (async () => {
      try {
        if (previous) await previous;
        for (let wait = this.pendingChanges(); wait; wait = this.pendingChanges()) await wait;
      } finally {
        this.rebasing.delete(elsewhere);
        rebase(action, seen, elsewhere.units);
        answer = this.session.request('cartAction', coreJson(action));
      }
    })();
    this.held = sent;
    return sent.then(() => {
      if (this.held === sent) this.held = null;
      return answer;
    });
  }

  // A promise while a follower has a cart change of the core's own on its way to the page, else null.
  pendingChanges() {
    const waits = [];
    for (const follower of this.followers) {
      const wait = follower.pending ? follower.pending() : null;
      if (wait) waits.push(wait);
    }
    return waits.length ? Promise.all(waits) : null;
  }

  // The quantity goes to the core as it was given: only an integer number passes ("2", true, [3] do not).
  add(productId, quantity = 1) {
    return this.apply('add', productId, quantity);
  }

  setQuantity(productId, quantity) {
    return this.apply('set-quantity', productId, quantity ?? null);
  }

  remove(productId) {
    return this.apply('remove', productId);
  }

  clear() {
    return this.apply('clear');
  }

  // A cart the core changed on its own (a restore, another tab, a resume link): listeners hear it too.
  replaced(snapshot, action) {
    for (const waiting of this.rebasing) {
      waiting.units += quantityOf(snapshot, waiting.productId) - quantityOf(this.snapshot, waiting.productId);
    }
    this.snapshot = snapshot;
    this.events.emit('cart-change', { action, productId: null, cart: this.get() });
  }

  // The whole cart: {revision, count, currency, subtotal, lines}; a copy, safe to keep.
  get() {
    return structuredClone(this.snapshot);
  }

  lines() {
    return structuredClone(this.snapshot.lines);
  }

  count() {
    return this.snapshot.count;
  }

  subtotal() {
    return this.snapshot.subtotal;
  }
}
