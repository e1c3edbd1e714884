// Memory storage: lives as long as the page (or the Map you pass, to share it between instances in tests).
export function memoryStorage(map = new Map()) {
  return {
    kind: 'memory',
    get: (key) => (map.has(key) ? map.get(key) : null),
    set: (key, value) => { map.set(key, String(value)); },
    remove: (key) => { map.delete(key); },
  };
}
