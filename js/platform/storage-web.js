// localStorage / sessionStorage. Merely reading `window.localStorage` throws where storage is blocked
// (cookies disabled, some private modes), so the area is looked up inside a try by createStorage.
export function webStorage(kind) {
  const area = kind === 'session' ? globalThis.sessionStorage : globalThis.localStorage;
  if (!area) return null; // not in this environment (Node, a worker)
  return {
    kind,
    area,
    get: (key) => area.getItem(key),
    set: (key, value) => area.setItem(key, value),
    remove: (key) => area.removeItem(key),
  };
}
