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

export class CartApi {
  constructor(session, events, snapshot) {
    this.session = session;
    this.events = events;
    this.followers = [];
    this.snapshot = snapshot; // the core's cart as of its last answer: what the reads below return
  }

  static async load(session, events) {
    return new CartApi(session, events, await session.request('cart'));
  }

  // follower: {fields?(type) -> extra action fields, prepare?(update), apply?(update)}; returns the way to stop.
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
    const update = await this.session.request('cartAction', coreJson(action));
    this.snapshot = update.cart;
    if (update.changed) {
      for (const follower of this.followers) if (follower.prepare) follower.prepare(update);
      this.events.emit('cart-change', { action: type, productId: action.productId ?? null, cart: this.get() });
      for (const follower of this.followers) if (follower.apply) follower.apply(update);
    }
    return this.get();
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
