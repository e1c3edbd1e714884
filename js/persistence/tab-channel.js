// Tells the other tabs of this store what changed: a BroadcastChannel named after the namespace, or, where
// there is none, the `storage` event that localStorage raises in every other tab. Messages are
// {v: 1, type: 'state' | 'forget', from, text}: the snapshot text, merged by the core (a forget carries the new,
// empty epoch of the cart).
const OFF = Object.freeze({ kind: 'off', post() {}, close() {} });

export function openSyncChannel({ mode, name, storageKind, cartKey, signalKey, replica, onState, onForget }) {
  if (mode === 'off') return OFF;
  const browser = typeof window !== 'undefined' && typeof document !== 'undefined';
  if (mode === 'auto' && !browser) return OFF; // Node and workers have no other tabs

  const receive = (data) => {
    if (!data || data.v !== 1 || data.from === replica) return;
    if (typeof data.text !== 'string') return;
    if (data.type === 'state') onState(data.text);
    else if (data.type === 'forget') onForget(data.text);
  };

  if (typeof BroadcastChannel === 'function') {
    let channel;
    try {
      channel = new BroadcastChannel(name);
    } catch {
      channel = null;
    }
    if (channel) {
      channel.onmessage = (event) => receive(event.data);
      if (typeof channel.unref === 'function') channel.unref(); // never keeps a Node process alive
      return {
        kind: 'broadcast-channel',
        post(message) {
          try {
            channel.postMessage({ v: 1, from: replica, ...message });
          } catch {
            // a closed channel (page going away): the other tabs read storage when they next save
          }
        },
        close() {
          channel.onmessage = null;
          channel.close();
        },
      };
    }
  }

  // The fallback needs localStorage: the write itself is the message.
  if (storageKind === 'local' && browser) {
    const onStorage = (event) => {
      if (event.key === cartKey && typeof event.newValue === 'string') onState(event.newValue);
      else if (event.key === signalKey && typeof event.newValue === 'string') {
        try {
          receive(JSON.parse(event.newValue));
        } catch {
          // not ours
        }
      }
    };
    window.addEventListener('storage', onStorage);
    return {
      kind: 'storage-event',
      post(message, storage) {
        // State travels as the cart key's own write; a forget needs a signal of its own.
        if (message.type !== 'forget' || !storage) return;
        try {
          storage.set(signalKey, JSON.stringify({ v: 1, from: replica, type: 'forget', text: message.text }));
          storage.remove(signalKey);
        } catch {
          // storage refused: the other tabs keep their carts until they reload
        }
      },
      close() {
        window.removeEventListener('storage', onStorage);
      },
    };
  }
  return OFF;
}
