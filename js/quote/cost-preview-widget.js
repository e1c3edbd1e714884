// <cartkeep-cost-preview product-id="mug" quantity="1">: the total up front on a product page
//   ("To United Kingdom: shipping £3.95, tax included, total £24.90 / Arrives Thu 5 – Fri 6 Dec").
// <cartkeep-cost-preview for="add-to-cart">: the same, following an Add to cart button (data-cartkeep-add, and
//   the quantity input named by its data-cartkeep-quantity-from), for pages that fill the product in with JS.
// <cartkeep-cost-preview coupons>: without a product, the cart's full breakdown with the shipping options,
//   every component with its amount, included tax, the total, and (with the coupons attribute) a code field.
//   view="methods" shows only the shipping options, view="totals" only the amounts. With an empty cart the
//   breakdown is hidden (no "Total £0.00", no code field): the cart widget shows the empty state.
import { fillTemplate } from '../platform/format.js';
import { CartKeepElement, el } from '../platform/base-element.js';
import { deliveryLines, destinationText, joinList, sentenceStart, sharedStyles } from './quote-view.js';

let uid = 0;
const INTERACTIONS = ['input', 'change', 'click', 'keyup'];

export class CostPreviewElement extends CartKeepElement {
  static styles = `${sharedStyles}
    :host([hidden]){display:none}
    .summary{margin:0}
    .to{font-weight:700}
    dl{display:grid;grid-template-columns:1fr auto;row-gap:.35em;margin:.75em 0}
    dt{margin:0} dd{margin:0;text-align:end;padding-inline-start:1em}
    .total{font-weight:700;font-size:1.1em;border-top:1px solid var(--cartkeep-border,color-mix(in srgb,currentColor 25%,transparent));padding-top:.5em}
    .discount{color:var(--cartkeep-accent,#1f6f4a)}
    fieldset{border:1px solid var(--cartkeep-border,color-mix(in srgb,currentColor 25%,transparent));border-radius:var(--cartkeep-radius,.4em);margin:.5em 0;padding:.5em .75em}
    legend{font-weight:700;padding:0 .25em}
    label.method{display:grid;grid-template-columns:auto 1fr auto;gap:.5em;align-items:start;padding:.35em 0;cursor:pointer}
    label.method[aria-disabled=true]{opacity:.55;cursor:not-allowed}
    .method p{margin:0}
    form{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:.35em .5em;margin:.5em 0}
    form label{grid-column:1/-1}
    input[type=text]{min-width:0}
    button{padding:.4em .9em;border:1px solid var(--cartkeep-accent,currentColor);background:var(--cartkeep-surface,transparent);color:var(--cartkeep-accent,inherit);cursor:pointer;font-weight:600}
    .codes{list-style:none;margin:0;padding:0;display:flex;gap:.5em;flex-wrap:wrap}
    .codes button{border:none;background:none;text-decoration:underline;color:inherit;padding:0;font-weight:400}
    details[part=bar]{border:1px solid var(--cartkeep-border,color-mix(in srgb,currentColor 25%,transparent));
      border-radius:var(--cartkeep-radius,.4em);background:var(--cartkeep-surface,transparent);padding:0 .75em}
    summary{display:flex;gap:.5em;align-items:center;padding:.6em 0;font-weight:700;cursor:pointer;list-style:none}
    summary::-webkit-details-marker{display:none}
    summary::after{content:"\\25BE";margin-inline-start:auto;transition:transform .15s}
    details[open] summary::after{transform:rotate(180deg)}
    .bar-total{font-size:1.1em}
    .coupon-message{min-height:1.2em;margin:.25em 0;font-size:.9em}`;

  static events = ['cart-change', 'quote-change'];

  static get observedAttributes() {
    return ['product-id', 'quantity', 'for', 'view'];
  }

  // {productId, quantity} for a product preview, or null for the cart breakdown.
  product() {
    if (this.hasAttribute('product-id')) {
      return { productId: this.getAttribute('product-id'), quantity: Number.parseInt(this.getAttribute('quantity') || '1', 10) };
    }
    const button = this.hasAttribute('for') ? document.getElementById(this.getAttribute('for')) : null;
    if (!button) return null;
    const productId = button.getAttribute('data-cartkeep-add');
    const source = button.getAttribute('data-cartkeep-quantity-from');
    const input = source ? document.querySelector(source) : null;
    return { productId: productId || '', quantity: Number.parseInt(input ? input.value : button.getAttribute('data-cartkeep-quantity') || '1', 10) };
  }

  attributeChangedCallback() {
    if (this.shadowRoot) this.update();
  }

  connectedCallback() {
    super.connectedCallback();
    // The order-within countdown and the dates move with the clock (a product's view at the new minute).
    this.timer = setInterval(() => {
      if (this.instance && this.standing) this.instance.views.refresh();
      this.update();
    }, 60000);
    if (this.hasAttribute('for')) {
      // Follow the button's product and its quantity input as the page changes them.
      const button = document.getElementById(this.getAttribute('for'));
      if (button) {
        this.observer = new MutationObserver(() => this.update());
        this.observer.observe(button, { attributes: true, attributeFilter: ['data-cartkeep-add', 'data-cartkeep-quantity-from'] });
      }
      // Shops' +/- buttons set the input's value by script, which fires no event: after any input, change, click
      // or key on the page, the bound input's value is read once on the next frame and the preview follows it.
      this.onInteraction = () => {
        if (this.frame) return;
        this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          const product = this.product();
          if (product && !Object.is(product.quantity, this.shownQuantity)) this.update();
        });
      };
      for (const type of INTERACTIONS) document.addEventListener(type, this.onInteraction, true);
    }
  }

  disconnectedCallback() {
    clearInterval(this.timer);
    if (this.observer) this.observer.disconnect();
    if (this.onInteraction) {
      for (const type of INTERACTIONS) document.removeEventListener(type, this.onInteraction, true);
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    super.disconnectedCallback();
  }

  // The preview keeps what it shows until the new quote arrives (CartKeepElement.update). Never rejects: a
  // failed quote is rendered (and reported) as one.
  async load(instance) {
    const product = this.hasAttribute('product-id') || this.hasAttribute('for') ? this.product() : null;
    this.shownQuantity = product ? product.quantity : undefined;
    if (!product || !product.productId) this.closeView();
    if (!product && instance.cart.count() === 0) return { hidden: true };
    if (product && !product.productId) return { product };
    const quantity = product && Math.min(1000000, Math.max(1, product.quantity || 1));
    try {
      // A product's preview is a standing view the core keeps current; the cart's breakdown reads the quote
      // each cart action brings (instance.quote's memo).
      if (!product) return { product, quote: await instance.quote({}) };
      await instance.quote.ready;
      const view = this.standingView(instance, { kind: 'quote', request: { lines: [{ productId: product.productId, quantity }] } });
      return { product, quote: await view.current() };
    } catch (error) {
      return { product, error };
    }
  }

  render(root, instance, { hidden = false, product = null, quote, error }) {
    this.hidden = hidden;
    if (hidden) return;
    if (error) instance.reportError(error, { source: this.localName });
    if (!product) this.renderBreakdown(root, instance, { quote, error });
    else if (product.productId) this.renderSummary(root, instance, { quote, error });
  }

  renderSummary(root, instance, { quote, error }) {
    const { strings, locale } = instance.options;
    if (error) {
      root.append(el('p', { class: 'muted', part: 'error' }, strings['quote.error']));
      return;
    }
    const box = el('div', { part: 'preview', 'data-total': quote.total });
    box.append(el('p', { class: 'to', part: 'destination' }, destinationText(instance, quote)));
    if (!quote.shippable) {
      box.append(el('p', { class: 'alert', role: 'status', part: 'not-shippable' }, instance.quote.message(quote.notShippable.message)));
      root.append(box);
      return;
    }
    const money = (amount) => instance.formatMoney(amount);
    const parts = [];
    if (quote.shippingConfigured) {
      parts.push(quote.shipping === 0
        ? strings['preview.freeShipping']
        : fillTemplate(strings['preview.shipping'], { amount: money(quote.shipping) }));
    }
    if (quote.includedTax.length) parts.push(strings['preview.taxIncluded']);
    if (quote.tax > 0) parts.push(fillTemplate(strings['preview.taxExtra'], { amount: money(quote.tax) }));
    parts.push(fillTemplate(strings['preview.total'], { amount: money(quote.total) }));
    box.append(el('p', { class: 'summary', part: 'summary' }, sentenceStart(joinList(parts, locale), locale)));
    box.append(...deliveryLines(instance, quote));
    root.append(box);
  }

  renderBreakdown(root, instance, { quote, error }) {
    const { strings } = instance.options;
    if (error) {
      root.append(el('p', { class: 'alert', role: 'alert', part: 'error' }, strings['quote.error']));
      return;
    }
    const money = (amount) => instance.formatMoney(amount);
    const view = this.getAttribute('view') || 'all';
    if (view === 'bar') {
      root.append(this.totalBar(instance, quote));
      return;
    }
    const wrap = el('div', { part: 'breakdown', 'data-total': quote.total });
    if (view === 'all') {
      wrap.append(el('p', { class: 'to', part: 'destination' },
        destinationText(instance, quote), quote.destination.postcode ? ` (${quote.destination.postcode})` : ''));
    }
    if (!quote.shippable) {
      wrap.append(el('p', { class: 'alert', role: 'alert', part: 'not-shippable' }, instance.quote.message(quote.notShippable.message)));
    }
    if (quote.methods.length && view !== 'totals') wrap.append(this.methodList(instance, quote));
    if (view === 'methods') {
      // The dates are on each option; only the countdown and why the dates start when they do are added.
      wrap.append(...deliveryLines(instance, quote).slice(1));
      root.append(wrap);
      return;
    }
    const list = this.componentList(instance, quote);
    wrap.append(list);
    wrap.append(...deliveryLines(instance, quote));
    if (this.hasAttribute('coupons')) wrap.append(this.couponForm(instance, quote));
    root.append(wrap);
  }

  componentList(instance, quote) {
    const { strings } = instance.options;
    const money = (amount) => instance.formatMoney(amount);
    const list = el('dl', { part: 'components' });
    for (const component of quote.components) {
      const label = instance.quote.label(component);
      const amount = component.kind === 'shipping' && component.amount === 0 ? strings['quote.free'] : money(component.amount);
      list.append(el('dt', { class: component.kind }, label),
        el('dd', { class: `amount ${component.kind}`, 'data-kind': component.kind, 'data-rule': component.rule, 'data-amount': component.amount }, amount));
    }
    list.append(el('dt', { class: 'total' }, strings['quote.total']),
      el('dd', { class: 'amount total', 'data-total': quote.total }, money(quote.total)));
    for (const tax of quote.includedTax) {
      list.append(el('dt', { class: 'muted included-tax' }, instance.quote.label(tax)),
        el('dd', { class: 'amount muted included-tax', 'data-rule': tax.rule }, money(tax.amount)));
    }
    return list;
  }

  // view="bar": one line "Total £61.95 ▾" that opens on the breakdown, for the top of a narrow page.
  totalBar(instance, quote) {
    const { strings } = instance.options;
    const bar = el('details', { part: 'bar', 'data-total': quote.total, open: Boolean(this.barOpen),
      ontoggle: () => { this.barOpen = bar.open; } },
    el('summary', { part: 'bar-summary' },
      el('span', {}, strings['quote.total']),
      el('span', { class: 'amount bar-total', 'data-total': quote.total }, instance.formatMoney(quote.total))),
    this.componentList(instance, quote));
    return bar;
  }

  methodList(instance, quote) {
    const { strings } = instance.options;
    const name = `cartkeep-method-${(this.uid ??= ++uid)}`;
    // In view="methods" the page's own fieldset names the group.
    const fieldset = this.getAttribute('view') === 'methods'
      ? el('div', { part: 'methods', role: 'radiogroup', 'aria-label': strings['quote.methods'] })
      : el('fieldset', { part: 'methods' }, el('legend', {}, strings['quote.methods']));
    for (const method of quote.methods) {
      const price = method.amount === 0 ? strings['quote.free'] : instance.formatMoney(method.amount);
      const detail = [];
      if (!method.available) detail.push(strings['quote.methodUnavailable']);
      else if (method.delivery) {
        const dates = { dateRange: [method.delivery.earliest, method.delivery.latest] };
        detail.push(instance.quote.message({ key: method.delivery.earliest === method.delivery.latest ? 'quote.delivery.on' : 'quote.delivery.range',
          values: { dates, date: { date: method.delivery.earliest } } }));
      }
      const input = el('input', {
        type: 'radio', name, value: method.id, checked: method.selected, disabled: !method.available,
        onchange: () => {
          instance.quote.setMethod(method.id).catch((error) => instance.reportError(error, { source: this.localName }));
        },
      });
      fieldset.append(el('label', { class: 'method', 'aria-disabled': method.available ? 'false' : 'true', 'data-method': method.id },
        input,
        el('span', {}, el('p', {}, method.name), ...detail.map((text) => el('p', { class: 'muted' }, text))),
        el('span', { class: 'amount' }, price)));
    }
    return fieldset;
  }

  couponForm(instance, quote) {
    const { strings } = instance.options;
    const id = `cartkeep-coupon-${(this.uid ??= ++uid)}`;
    const input = el('input', { type: 'text', id, name: 'coupon', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' });
    const status = el('p', { class: 'coupon-message', role: 'status', 'aria-live': 'polite', part: 'coupon-message' }, this.couponMessage || '');
    const form = el('form', {
      part: 'coupon-form',
      onsubmit: async (event) => {
        event.preventDefault();
        if (!input.value.trim()) return;
        try {
          const result = await instance.quote.applyCoupon(input.value);
          this.couponMessage = result.message; // applying re-rendered already (quote-change); show the outcome
          this.update();
        } catch (error) {
          instance.reportError(error, { source: this.localName });
          this.couponMessage = strings['errors.generic'];
          this.update();
        }
      },
    }, el('label', { for: id }, strings['coupon.label']), input, el('button', { type: 'submit' }, strings['coupon.apply']));
    const applied = el('ul', { class: 'codes', part: 'coupons' });
    for (const coupon of quote.coupons) {
      if (!coupon.applied) continue;
      applied.append(el('li', {}, el('span', {}, coupon.code), ' ',
        el('button', { type: 'button', onclick: () => {
          this.couponMessage = '';
          instance.quote.removeCoupon(coupon.code).catch((error) => instance.reportError(error, { source: this.localName }));
        } },
          fillTemplate(strings['coupon.remove'], { code: coupon.code }))));
    }
    // A code that stopped applying (the cart changed) says why.
    const refused = quote.coupons.find((c) => !c.applied);
    if (refused) status.textContent = instance.quote.message(refused.message);
    return el('div', { part: 'coupon' }, form, applied, status);
  }
}
