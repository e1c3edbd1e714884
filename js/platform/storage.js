// Where the cart snapshot lives. An adapter is {get(key) -> string | null, set(key, text), remove(key)};
// any call may return a promise. Built in: 'local' (default), 'session', 'indexeddb', 'memory'; a merchant
// passes their own object as options.persistence.storage. openStorage never throws: it reports why a
// storage cannot be used, and the caller falls back to memory.
import { indexedDbStorage } from './storage-indexeddb.js';
import { memoryStorage } from './storage-memory.js';
import { storageArea, webStorage } from './storage-web.js';

export { memoryStorage, storageArea };

const PROBE_KEY = 'cartkeep:probe';

export function isStorageAdapter(value) {
  return value !== null && typeof value === 'object' &&
    ['get', 'set', 'remove'].every((name) => typeof value[name] === 'function');
}

// -> {adapter} | {adapter: null, unavailable: true} (no such storage here) | {adapter: null, error}
export async function openStorage(kind, custom) {
  try {
    if (kind === 'memory') return { adapter: memoryStorage() };
    if (kind === 'custom') {
      return { adapter: { kind: 'custom', get: (k) => custom.get(k), set: (k, v) => custom.set(k, v), remove: (k) => custom.remove(k) } };
    }
    if (kind === 'indexeddb') {
      const adapter = indexedDbStorage();
      if (!adapter) return { adapter: null, unavailable: true };
      await adapter.open();
      return { adapter };
    }
    const adapter = webStorage(kind);
    if (!adapter) return { adapter: null, unavailable: true };
    // Some browsers hand out a storage that refuses every write (quota 0): find out now.
    adapter.set(PROBE_KEY, '1');
    adapter.remove(PROBE_KEY);
    return { adapter };
  } catch (error) {
    return { adapter: null, error };
  }
}

export function isQuotaError(error) {
  if (!error) return false;
  return error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED' ||
    error.code === 22 || error.code === 1014;
}
