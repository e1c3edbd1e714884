// Random ids for visitors, sessions, pages and tab replicas, from crypto.getRandomValues. Two alphabets, both
// of a size that divides 256 so every character is equally likely: LOWERCASE (a-z 2-7) for ids the core
// checks as "a-z 0-9" (page ids, which event ids embed), URL_SAFE (A-Z a-z 0-9 - _) for snapshot replicas.
export const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz234567';
export const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function randomId(length, alphabet = LOWERCASE) {
  const bytes = new Uint8Array(length);
  const crypto = globalThis.crypto;
  if (crypto && typeof crypto.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}
