// IndexedDB: one object store of text values by key. Every call returns a promise; the database is opened
// once, on first use, and closed by close().
export function indexedDbStorage({ database = 'cartkeep', store = 'snapshots' } = {}) {
  if (typeof indexedDB === 'undefined' || !indexedDB) return null;
  let opening = null;
  const open = () => {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(database, 1);
        request.onupgradeneeded = () => request.result.createObjectStore(store);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error || new Error('IndexedDB could not be opened'));
        request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
      });
      opening.catch(() => { opening = null; });
    }
    return opening;
  };
  const run = (mode, action) => open().then((db) => new Promise((resolve, reject) => {
    const transaction = db.transaction(store, mode);
    const request = action(transaction.objectStore(store));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error || request.error);
    transaction.onabort = () => reject(transaction.error || new Error('IndexedDB transaction aborted'));
  }));
  return {
    kind: 'indexeddb',
    open,
    get: (key) => run('readonly', (s) => s.get(key)).then((value) => (typeof value === 'string' ? value : null)),
    set: (key, value) => run('readwrite', (s) => s.put(String(value), key)).then(() => undefined),
    remove: (key) => run('readwrite', (s) => s.delete(key)).then(() => undefined),
    close: () => {
      if (opening) opening.then((db) => db.close(), () => {});
      opening = null;
    },
  };
}
