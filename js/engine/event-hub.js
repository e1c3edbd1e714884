// Instance events: listeners registered with on(), mirrored as `cartkeep:<name>` CustomEvents on document.
export class EventHub {
  constructor(target = typeof document !== 'undefined' ? document : null) {
    this.target = target;
    this.listeners = new Map();
    this.taps = new Set(); // observers of every event (the event stream, js/events/events.js)
  }

  // Calls observer(name, detail) for every event, after its listeners and its DOM event.
  tap(observer) {
    this.taps.add(observer);
    return () => this.taps.delete(observer);
  }

  on(name, listener) {
    if (typeof listener !== 'function') throw new TypeError(`on("${name}", listener): listener must be a function`);
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(listener);
    return () => this.off(name, listener);
  }

  off(name, listener) {
    const set = this.listeners.get(name);
    if (set) set.delete(listener);
  }

  emit(name, detail) {
    for (const listener of [...(this.listeners.get(name) || [])]) {
      try {
        listener(detail);
      } catch (error) {
        // A merchant's listener must not break the cart: report it as an uncaught error would be, and go on.
        if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
        else queueMicrotask(() => { throw error; });
      }
    }
    if (this.target && typeof CustomEvent === 'function') {
      this.target.dispatchEvent(new CustomEvent(`cartkeep:${name}`, { detail }));
    }
    for (const observer of [...this.taps]) {
      try {
        observer(name, detail);
      } catch (error) {
        if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
      }
    }
  }

  clear() {
    this.listeners.clear();
    this.taps.clear();
  }
}
