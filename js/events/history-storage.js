// The event stream's keys in localStorage: cartkeep:<namespace>:events:<key>. Written only when the core says
// so (consent granted); every access is guarded, so private mode or a full quota never breaks the page.
import { storageArea } from '../platform/storage.js';

export class EventStorage {
  constructor(namespace = 'default', storage = storageArea('local')) {
    this.prefix = `cartkeep:${namespace}:events:`;
    this.storage = storage;
  }

  get(key) {
    try {
      return this.storage ? this.storage.getItem(this.prefix + key) : null;
    } catch {
      return null;
    }
  }

  set(key, text) {
    if (!this.storage) return false;
    try {
      if (text === null || text === undefined) this.storage.removeItem(this.prefix + key);
      else this.storage.setItem(this.prefix + key, text);
      return true;
    } catch {
      return false; // quota or a disabled storage: the queue still lives in memory for this page
    }
  }

  // [{key, text}] of every key below the prefix that starts with `start` ("outbox:").
  list(start = '') {
    const out = [];
    if (!this.storage) return out;
    try {
      for (let i = 0; i < this.storage.length; i += 1) {
        const full = this.storage.key(i);
        if (full && full.startsWith(this.prefix + start)) {
          out.push({ key: full.slice(this.prefix.length), text: this.storage.getItem(full) });
        }
      }
    } catch {
      // unreadable storage: nothing to adopt
    }
    return out;
  }

  clear() {
    for (const { key } of this.list()) this.set(key, null);
  }
}
