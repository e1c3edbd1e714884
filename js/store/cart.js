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

  add(productId, quantity = 1) {
    return this.apply('add', 'cartAdd', [String(productId), Number(quantity)]);
  }

  setQuantity(productId, quantity) {
    return this.apply('set-quantity', 'cartSetQuantity', [String(productId), Number(quantity)]);
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
