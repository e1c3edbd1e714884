// The checkout page: the order summary from the cart, the form checked field by field, and the order placed
// (recorded with CartKeep; nothing is charged or sent).
import { safeImage } from '../catalog.js';
import { renderNav } from '../components.js';
import { $, h, setTitle } from '../dom.js';
import { pageHooks, state } from '../state.js';

// CartKeep records the order (the total of the quote the shopper saw, never an amount from the page) and
// empties the cart; an older CartKeep without the event stream just empties it.
async function recordPurchase(orderId) {
  const instance = state.instance;
  if (typeof instance.purchase !== 'function') {
    await instance.cart.clear();
    return;
  }
  let order = { orderId };
  try {
    const quote = await instance.quote();
    const coupon = (quote.coupons || []).find((c) => c.applied);
    order = { orderId, value: quote.total, shipping: quote.shipping, tax: quote.tax, discount: quote.discount,
      ...(coupon ? { coupon: coupon.code } : {}) };
  } catch { /* no quote: the core totals the cart */ }
  try {
    await instance.purchase(order);
  } catch (error) {
    console.warn('purchase not recorded:', error.message);
    await instance.cart.clear();
  }
}

export function renderCheckout() {
  renderNav(null);
  setTitle('Checkout');
  const form = $('checkout-form');
  const formError = $('form-error');
  const submit = $('place-order');

  const renderSummary = () => {
    const lines = $('summary-lines');
    if (!state.instance) return;
    const cart = state.instance.cart.get();
    lines.replaceChildren(...cart.lines.map((line) => h('li', { class: 'summary-line' },
      h('img', { src: safeImage(line.image), alt: '', width: 52, height: 52 }),
      h('div', {}, h('div', { class: 'summary-line-title' }, line.title), h('div', { class: 'summary-line-qty' }, `Qty ${line.quantity}`)),
      h('div', { class: 'summary-line-total' }, state.instance.formatMoney(line.lineTotal)))));
    $('summary-empty').hidden = cart.lines.length > 0;
    $('summary-subtotal').textContent = state.instance.formatMoney(cart.subtotal);
  };
  pageHooks.ready = renderSummary;
  pageHooks.cartChange = renderSummary;
  pageHooks.unavailable = () => {
    $('summary-empty').textContent = 'We can’t load your cart right now, so orders can’t be placed. Please try again shortly.';
    submit.disabled = true;
  };

  const messages = {
    email: 'Enter an email address like name@example.com',
    'given-name': 'Enter your first name',
    'family-name': 'Enter your last name',
    'address-line1': 'Enter the first line of your address',
    city: 'Enter your town or city',
    postcode: 'Enter a valid postcode',
  };
  const ukPostcode = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i;
  const validateField = (id) => {
    const input = $(id);
    const error = $(`${id}-error`);
    const value = input.value.trim();
    let ok = input.checkValidity() && value !== '';
    if (ok && id === 'postcode' && $('country').value === 'GB') ok = ukPostcode.test(value);
    input.setAttribute('aria-invalid', ok ? 'false' : 'true');
    if (error) {
      error.textContent = ok ? '' : messages[id];
      error.hidden = ok;
      if (ok) input.removeAttribute('aria-describedby'); else input.setAttribute('aria-describedby', error.id);
    }
    return ok;
  };
  for (const id of Object.keys(messages)) {
    $(id).addEventListener('blur', () => { if ($(id).value.trim()) validateField(id); });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    formError.hidden = true;
    const invalid = Object.keys(messages).filter((id) => !validateField(id));
    if (invalid.length) {
      $(invalid[0]).focus();
      return;
    }
    if (!state.instance) {
      formError.textContent = 'The cart is unavailable right now, so we can’t place your order.';
      formError.hidden = false;
      return;
    }
    if (state.instance.cart.count() === 0) {
      formError.textContent = 'Your cart is empty. Add something you love first.';
      formError.hidden = false;
      return;
    }
    const bytes = new Uint8Array(4);
    crypto.getRandomValues(bytes);
    const number = `HT-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()}`;
    const name = $('given-name').value.trim();
    $('confirmation-title').textContent = `Thank you, ${name}!`;
    $('confirmation-text').textContent =
      `We’ve received your order and will email a confirmation to ${$('email').value.trim()}. ` +
      'This is a demo shop, so nothing will be charged or sent.';
    $('order-number').textContent = number;
    recordPurchase(number);
    $('checkout-layout').hidden = true;
    $('checkout-title').hidden = true;
    $('confirmation').hidden = false;
    setTitle('Order confirmed');
    $('confirmation-title').focus();
  });
}
