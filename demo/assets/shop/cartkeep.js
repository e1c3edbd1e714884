// The shop's CartKeep wiring: add-to-cart buttons wait for CartKeep to be ready (disabled, with a reason, until
// then or if it never loads), a toast confirms each add or reports an error, and the page renderer's hooks
// hear when CartKeep is ready, unavailable, or the cart changed.
import { showNotice, toast } from './dom.js';
import { page, pageHooks, state } from './state.js';

export function applyCartState(button) {
  if (state.cart === 'ready') {
    button.disabled = false;
    button.removeAttribute('title');
  } else {
    button.disabled = true;
    button.title = state.cart === 'loading' ? 'Loading the cart…' : 'The cart is unavailable right now';
  }
}

export function syncAddButtons() {
  document.querySelectorAll('[data-cartkeep-add]').forEach(applyCartState);
}

function titleFor(productId) {
  const product = state.byId.get(productId);
  return product ? product.title : String(productId);
}

function cartStrings() {
  return (state.instance && state.instance.options && state.instance.options.strings) || {};
}

function fill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

function onCartReady(instance) {
  state.instance = instance;
  state.cart = 'ready';
  document.documentElement.classList.add('cartkeep-ready');
  syncAddButtons();
  pageHooks.ready(instance);
}

function onCartUnavailable(error) {
  state.cart = 'unavailable';
  document.documentElement.classList.add('cartkeep-unavailable');
  syncAddButtons();
  showNotice('Our cart is taking a short break, so items can’t be added right now. You can still browse everything.');
  if (error && typeof console !== 'undefined') console.info('CartKeep unavailable:', error.code || '', error.message || error);
  pageHooks.unavailable();
}

export function watchCartKeep() {
  document.addEventListener('cartkeep:cart-change', (event) => {
    const detail = event.detail || {};
    if (detail.action === 'add' && page !== 'checkout') {
      const strings = cartStrings();
      const text = fill(strings['cart.added'] || '{title} added to your cart', { title: titleFor(detail.productId) });
      toast(text, page === 'cart' ? {} : { link: { href: 'cart.html', text: 'View cart' } });
    }
    pageHooks.cartChange(detail);
  });
  document.addEventListener('cartkeep:error', (event) => {
    const detail = event.detail || {};
    if (detail.source !== 'add-to-cart' && detail.source !== 'cart-view') return; // init failures: see ready
    const strings = cartStrings();
    const template = strings[`errors.${detail.code}`] || strings['errors.generic'] || 'Something went wrong. Please try again.';
    toast(fill(template, { title: titleFor(detail.productId) }), { error: true });
  });
  const api = window.CartKeep;
  if (!api || !api.ready || typeof api.ready.then !== 'function') {
    onCartUnavailable(new Error('cartkeep.js did not load'));
    return;
  }
  api.ready.then(onCartReady, onCartUnavailable);
}

// CartKeep may have become ready (or failed) while the catalogue loaded: bring the rendered page up to date.
export function catchUpWithCartKeep() {
  if (state.cart === 'ready') { syncAddButtons(); pageHooks.ready(state.instance); }
  else if (state.cart === 'unavailable') { syncAddButtons(); pageHooks.unavailable(); }
}
