// Reads consent signals for the core: Global Privacy Control, an IAB TCF v2 CMP (__tcfapi) and Google consent
// mode commands on the dataLayer (gtag('consent', 'default' | 'update', {...})). Each reader reports
// 'granted' or 'denied'; the core decides what that means. Returns a function that stops listening.

export function readGpc() {
  return typeof navigator !== 'undefined' && navigator.globalPrivacyControl === true;
}

// TCF: granted when GDPR does not apply, or every configured purpose has consent.
export function watchTcf(purposes, report) {
  const api = globalThis.__tcfapi;
  if (typeof api !== 'function') return () => {};
  let listenerId = null;
  let stopped = false;
  try {
    api('addEventListener', 2, (tcData, success) => {
      if (stopped || !success || !tcData) return;
      if (tcData.listenerId !== undefined) listenerId = tcData.listenerId;
      if (tcData.eventStatus !== 'tcloaded' && tcData.eventStatus !== 'useractioncomplete') return;
      const consents = (tcData.purpose && tcData.purpose.consents) || {};
      const granted = tcData.gdprApplies === false || purposes.every((p) => consents[p] === true || consents[String(p)] === true);
      report(granted ? 'granted' : 'denied');
    });
  } catch {
    return () => {};
  }
  return () => {
    stopped = true;
    if (listenerId !== null) {
      try { api('removeEventListener', 2, () => {}, listenerId); } catch { /* the CMP is gone */ }
    }
  };
}

// Google consent mode: the newest 'consent' command carrying `type` (analytics_storage) on the dataLayer.
export function watchConsentMode(layerName, type, report) {
  const scope = globalThis;
  const read = (item) => {
    if (!item || typeof item !== 'object' || typeof item.length !== 'number') return;
    if (item[0] !== 'consent' || (item[1] !== 'default' && item[1] !== 'update')) return;
    const state = item[2] && item[2][type];
    if (state === 'granted' || state === 'denied') report(state);
  };
  if (!Array.isArray(scope[layerName])) scope[layerName] = [];
  const layer = scope[layerName];
  for (const item of [...layer]) read(item);
  const original = layer.push;
  const wrapped = function push(...items) {
    const result = original.apply(this, items);
    for (const item of items) read(item);
    return result;
  };
  layer.push = wrapped;
  return () => {
    if (layer.push === wrapped) layer.push = original;
  };
}
