// Moves batch payloads to the merchant's endpoint: fetch (keepalive) while the page lives, navigator.sendBeacon
// on pagehide. It reports every outcome to the core, which decides what happens next; it decides nothing itself.
export const BEACON_REFUSED = -1;
export const NETWORK_ERROR = 0;

function endpointUrl(endpoint) {
  if (/^https?:\/\//i.test(endpoint)) return endpoint;
  const base = typeof document !== 'undefined' ? document.baseURI : globalThis.location && globalThis.location.href;
  return base ? new URL(endpoint, base).href : endpoint;
}

// Retry-After: delay-seconds or an HTTP date; 0 when absent or unreadable.
export function retryAfterMs(header, now = Date.now()) {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : 0;
}

// Queues one batch with navigator.sendBeacon (also at pagehide, where nothing can wait); false where there is no
// sendBeacon or it refuses (its quota).
export function queueBeacon(batch) {
  if (typeof navigator === 'undefined' || typeof navigator.sendBeacon !== 'function') return false;
  try {
    // text/plain keeps it a simple request: no CORS preflight, which a beacon could not make.
    return navigator.sendBeacon(endpointUrl(batch.endpoint), new Blob([batch.body], { type: 'text/plain;charset=UTF-8' }));
  } catch {
    return false;
  }
}

// Sends one batch; resolves with {status, retryAfterMs}. Never rejects.
export async function sendBatch(batch) {
  const url = endpointUrl(batch.endpoint);
  if (batch.method === 'beacon' && typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function') {
    return { status: queueBeacon(batch) ? 202 : BEACON_REFUSED, retryAfterMs: 0 };
  }
  if (typeof fetch !== 'function') return { status: NETWORK_ERROR, retryAfterMs: 0 };
  try {
    const response = await fetch(url, {
      method: 'POST',
      body: batch.body,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      credentials: 'omit',
      mode: 'cors',
      keepalive: batch.body.length <= 60000, // the browser caps keepalive bodies at 64 KiB in flight
    });
    return { status: response.status, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
  } catch {
    return { status: NETWORK_ERROR, retryAfterMs: 0 };
  }
}
