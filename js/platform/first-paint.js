// Resolves once the page has painted its first content, the shopper has first interacted, or the page has
// loaded, whichever comes first: the engine's start waits for it, so nothing of CartKeep runs before the shop's
// own first paint. A page that paints no content and never loads starts after `timeoutMs` at the latest.
const INTERACTIONS = ['pointerdown', 'keydown', 'touchstart', 'scroll'];

export function afterFirstPaint({ timeoutMs = 3000 } = {}) {
  if (typeof document === 'undefined' || typeof PerformanceObserver !== 'function' || typeof performance === 'undefined') {
    return Promise.resolve();
  }
  if (performance.getEntriesByName('first-contentful-paint').length) return Promise.resolve();
  return new Promise((resolve) => {
    let observer = null;
    let timer = null;
    const finish = () => {
      if (observer) observer.disconnect();
      clearTimeout(timer);
      for (const type of INTERACTIONS) removeEventListener(type, finish, true);
      removeEventListener('load', finish);
      resolve();
    };
    try {
      observer = new PerformanceObserver((list) => { if (list.getEntriesByName('first-contentful-paint').length) finish(); });
      observer.observe({ type: 'paint', buffered: true });
    } catch {
      // no paint timing in this browser: the first interaction or the timeout starts it
    }
    for (const type of INTERACTIONS) addEventListener(type, finish, { capture: true, passive: true });
    if (document.readyState === 'complete') queueMicrotask(finish);
    else addEventListener('load', finish);
    timer = setTimeout(finish, timeoutMs);
  });
}
