// localStorage / sessionStorage. Merely reading `window.localStorage` throws where storage is blocked
// (cookies disabled, sandboxed frames, some private modes), and some browsers hand out an area that refuses
// every write (quota 0): every feature reaches the browser's storage through storageArea(), never directly.
const PROBE_KEY = 'cartkeep:probe';
// Areas a test write succeeded in, once per page: each write reaches the browser's storage process and other tabs.
const probed = new WeakSet();

// The area ('local' or 'session'), or null where there is none (Node, a worker) or it is blocked. With
// {writable: true}, also null when a test write fails, for callers that have nowhere else to keep what they write.
export function storageArea(kind, { writable = false } = {}) {
  try {
    const area = kind === 'session' ? globalThis.sessionStorage : globalThis.localStorage;
    if (!area) return null;
    if (writable && !probed.has(area)) {
      area.setItem(PROBE_KEY, '1');
      area.removeItem(PROBE_KEY);
      probed.add(area);
    }
    return area;
  } catch {
    return null;
  }
}

// The area as a storage adapter (storage.js), or null where there is none; openStorage probes it.
export function webStorage(kind) {
  const area = storageArea(kind);
  if (!area) return null;
  return {
    kind,
    area,
    get: (key) => area.getItem(key),
    set: (key, value) => area.setItem(key, value),
    remove: (key) => area.removeItem(key),
  };
}
