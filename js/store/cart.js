import { coreJson } from '../engine/core-session.js';

// A quantity typed in a field or written in markup: decimal digits give that number; any other text goes on
// as text, which the core refuses (so "0x10" or "1e2" is an error, not 16 or 100).
export function quantityFromText(text) {
  const trimmed = String(text ?? '').trim();
  return /^[0-9]{1,10}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

// instance.cart: each change goes to the core, which answers with the whole cart; listeners hear `cart-change`.
export class CartApi {
  constructor(session, events) {
    this.session = session;
    this.events = events;
    this.snapshot = session.call('cart');
  }

  apply(action, name, args) {
    const before = this.snapshot;
    this.snapshot = this.session.call(name, ...args);
    if (this.snapshot.revision !== before.revision) {
      this.events.emit('cart-change', { action, productId: args[0] ?? null, cart: this.get() });
    }
    return this.get();
  }

  // The quantity goes to the core as it was given: only an integer number passes ("2", true, [3] do not).
  add(productId, quantity = 1) {
    return this.apply('add', 'cartAdd', [String(productId), coreJson(quantity)]);
  }

  setQuantity(productId, quantity) {
    return this.apply('set-quantity', 'cartSetQuantity', [String(productId), coreJson(quantity)]);
  }

  remove(productId) {
    return this.apply('remove', 'cartRemove', [String(productId)]);
  }

  clear() {
    return this.apply('clear', 'cartClear', []);
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
