// Random ids for visitors, sessions, pages and tab replicas: characters of A-Z a-z 0-9 - _ only, so every id
// passes the core's id checks (snapshot replicas: 1-32 such characters) and needs no escaping in URLs or JSON.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function randomId(length = 16) {
  const bytes = new Uint8Array(length);
  const crypto = globalThis.crypto;
  if (crypto && typeof crypto.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (byte) => ALPHABET[byte & 63]).join(''); // 256 is a multiple of 64: no bias
}
