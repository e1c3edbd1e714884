// DOM sensors: raw observations with performance.now() times, forwarded to instance.behaviour. Pointer moves
// go once per animation frame, every sample of the frame in one message (the exit detector reads the path,
// not just the last point); any other observation, a pointer leaving the page first of all, sends the
// waiting moves at once, ahead of itself, so the core sees everything in order and an exit is decided
// without waiting for a frame. No thresholds or decisions here: the core does all of that. Returns one
// function that removes every listener, observer, patch and timer it added.
import { declaredPageType, declaredProduct } from '../platform/page-context.js';
import { backButtonGuard } from './back-guard.js';
import { MAX_BATCH } from '../engine/worker-protocol.js';

const COUPON = /coupon|promo|voucher|discount|gift.?code/i;
const NOT_FIELDS = new Set(['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image', 'hidden']);
const CARD_SELECTOR = '[data-cartkeep-card]';
const PREVIEW_SELECTOR = '[data-cartkeep-cost-preview], cartkeep-cost-preview';
const now = () => performance.now();

// What kind of form field an element is: "select", "coupon", "search", "text", or null for none.
export function fieldKind(element) {
  if (!element || element.nodeType !== 1) return null;
  const tag = element.tagName;
  if (tag === 'SELECT') return 'select';
  if (element.isContentEditable) return 'text';
  if (tag !== 'INPUT' && tag !== 'TEXTAREA') return null;
  const type = (element.getAttribute('type') || 'text').toLowerCase();
  if (tag === 'INPUT' && NOT_FIELDS.has(type)) return null;
  if (element.hasAttribute('data-cartkeep-coupon')) return 'coupon';
  const hints = `${element.name || ''} ${element.id || ''} ${element.getAttribute('autocomplete') || ''} ${element.getAttribute('placeholder') || ''}`;
  if (COUPON.test(hints)) return 'coupon';
  if (type === 'search' || element.getAttribute('role') === 'searchbox') return 'search';
  return 'text';
}

function isTouchDevice() {
  if (typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches) return true;
  return false;
}

export function pageInfo(options) {
  return { path: location.pathname, declared: declaredPageType(), product: declaredProduct(options) };
}

// Collects pointer samples and sends them as one batch per animation frame (or when `flush` is called).
function frameBatcher(send) {
  let samples = [];
  let frame = null;
  const flush = () => {
    if (frame !== null) cancelAnimationFrame(frame);
    frame = null;
    if (!samples.length) return;
    const batch = samples;
    samples = [];
    send(batch);
  };
  return {
    add(sample) {
      samples.push(sample);
      if (samples.length >= MAX_BATCH) flush();
      else if (frame === null) frame = requestAnimationFrame(flush);
    },
    flush,
    stop() {
      if (frame !== null) cancelAnimationFrame(frame);
      frame = null;
      samples = [];
    },
  };
}

export function startSensors(source, options, { onHidden, onVisible } = {}) {
  const offs = [];
  const moves = frameBatcher((batch) => source.moves(batch));
  offs.push(() => moves.stop());
  // Every observation but a move goes through this view of the behaviour API, which sends the waiting moves
  // first (the back-button guard's too).
  const behaviour = new Proxy(source, {
    get(target, name) {
      const value = target[name];
      if (typeof value !== 'function') return value;
      return (...args) => {
        moves.flush();
        return value.apply(target, args);
      };
    },
  });
  const listen = (target, type, handler, opts = { capture: true, passive: true }) => {
    target.addEventListener(type, handler, opts);
    offs.push(() => target.removeEventListener(type, handler, opts));
  };
  const sendViewport = () => behaviour.viewport(now(), innerWidth, innerHeight, isTouchDevice());
  sendViewport();
  const page = pageInfo(options);
  behaviour.route(now(), page.path, page.declared, page.product);

  // Native popups (a <select>'s list, an autocomplete list) suppress exits only while open: a press closes
  // any of them (the core clears on `down`), a press on a closed <select> opens its list, a second press on
  // the same one closes it; Escape, Enter and Tab close either kind, as does a choice (`change`). An open
  // list takes the keyboard and the pointer, so the page sees neither its Escape nor moves over it: the first
  // move the page sees outside the <select> means the list has closed.
  let openSelect = null;
  const closeSelect = () => {
    openSelect = null;
    behaviour.select(now(), false);
  };
  const outside = (element, x, y) => {
    const box = element.getBoundingClientRect();
    return x < box.left || x > box.right || y < box.top || y > box.bottom;
  };
  // Where the browser supports :open on <select> it says whether the list is open; elsewhere a move outside.
  const listClosed = (element, x, y) => {
    try {
      return !element.matches(':open');
    } catch {
      return outside(element, x, y);
    }
  };

  // Pointer: every move (the hot path, batched per frame), leaving the document, presses.
  listen(document, 'mousemove', (e) => {
    if (openSelect && listClosed(openSelect, e.clientX, e.clientY)) closeSelect();
    moves.add([now(), e.clientX, e.clientY]);
  });
  listen(document, 'mouseout', (e) => { if (!e.relatedTarget) behaviour.out(now(), e.clientX, e.clientY); });
  listen(document, 'pointerdown', (e) => {
    behaviour.down(now(), e.clientX, e.clientY);
    const target = e.target && e.target.tagName === 'SELECT' ? e.target : null;
    openSelect = target && target !== openSelect ? target : null;
    if (openSelect) behaviour.select(now(), true);
  });
  listen(document, 'keydown', (e) => {
    behaviour.key(now());
    if ((e.key === 'Escape' || e.key === 'Enter' || e.key === 'Tab') && fieldKind(e.target)) closeSelect();
  });
  listen(window, 'scroll', () => behaviour.scroll(now(), scrollY));
  listen(window, 'resize', sendViewport);

  // Fields: focus (autocomplete lists and selects live there), coupon hunting, progress on checkout.
  listen(document, 'focusin', (e) => {
    const kind = fieldKind(e.target);
    if (kind) behaviour.field(now(), kind, true);
  });
  listen(document, 'focusout', (e) => {
    if (e.target === openSelect) openSelect = null;
    const kind = fieldKind(e.target);
    if (kind) behaviour.field(now(), kind, false);
  });
  listen(document, 'change', (e) => {
    if (e.target && e.target.tagName === 'SELECT') closeSelect();
    if (fieldKind(e.target) && e.target.closest && e.target.closest('form')) behaviour.progress();
  });

  // Visibility, focus, the back/forward cache.
  listen(document, 'visibilitychange', () => {
    const hidden = document.visibilityState === 'hidden';
    if (hidden && onHidden) onHidden();
    behaviour.visibility(now(), hidden);
    if (!hidden && onVisible) onVisible();
  });
  listen(window, 'blur', (e) => {
    if (e.target !== window) return;
    const active = document.activeElement;
    behaviour.blur(now(), Boolean(active && active.tagName === 'IFRAME'));
  });
  listen(window, 'focus', (e) => { if (e.target === window) behaviour.focus(now()); });
  listen(window, 'pagehide', (e) => behaviour.pageHide(now(), e.persisted));
  listen(window, 'pageshow', (e) => { if (e.persisted) behaviour.pageShow(now(), true); });

  // Single-page routes: history.pushState/replaceState (wrapped, restored on destroy) and popstate.
  let lastPath = location.pathname + location.search;
  const onRoute = () => {
    const path = location.pathname + location.search;
    if (path === lastPath) return;
    lastPath = path;
    const info = pageInfo(options);
    behaviour.route(now(), info.path + location.search, info.declared, info.product);
    rescanCards();
  };
  const wrapped = {};
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name];
    const wrapper = function (...args) {
      const result = original.apply(this, args);
      queueMicrotask(onRoute);
      return result;
    };
    history[name] = wrapper;
    wrapped[name] = { original, wrapper };
  }
  offs.push(() => {
    for (const [name, { original, wrapper }] of Object.entries(wrapped)) if (history[name] === wrapper) history[name] = original;
  });
  listen(window, 'popstate', onRoute);

  // Product cards and the cost preview on screen (at least half of them).
  let cards = null;
  let previews = null;
  const seen = new WeakSet();
  function rescanCards() {
    if (cards) for (const element of document.querySelectorAll(CARD_SELECTOR)) if (!seen.has(element)) { seen.add(element); cards.observe(element); }
    if (previews) for (const element of document.querySelectorAll(PREVIEW_SELECTOR)) if (!seen.has(element)) { seen.add(element); previews.observe(element); }
  }
  if (typeof IntersectionObserver === 'function') {
    cards = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const id = entry.target.getAttribute('data-cartkeep-card');
        if (id) behaviour.card(now(), id, entry.isIntersecting && entry.intersectionRatio >= 0.5);
      }
    }, { threshold: [0, 0.5] });
    previews = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) behaviour.costPreview(now());
    }, { threshold: 0.5 });
    offs.push(() => { cards.disconnect(); previews.disconnect(); });
    rescanCards();
    // Cards rendered later (a grid filled by the shop's script): look again when the DOM changes, batched.
    let pending = false;
    const mutations = new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; rescanCards(); });
    });
    mutations.observe(document.body || document.documentElement, { childList: true, subtree: true });
    offs.push(() => mutations.disconnect());
  }

  if (options.exitIntent && options.exitIntent.backButtonGuard) offs.push(backButtonGuard(behaviour));

  return () => {
    for (const off of offs.splice(0).reverse()) off();
  };
}
