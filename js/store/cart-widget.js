// <cartkeep-cart checkout-url="/checkout" shop-url="/">: the cart with quantity steppers, remove buttons and
// subtotal; empty, it says so and links back to the shop (shop-url, default "/").
import { fillTemplate, formatMoney, pluralText } from '../platform/format.js';
import { CartKeepElement, el } from '../platform/base-element.js';
import { nextTask } from '../platform/next-task.js';
import { quantityFromText } from './cart.js';

export class CartViewElement extends CartKeepElement {
  static styles = `:host{display:block;font:inherit;color:inherit}
    h2{font-size:1.2em;margin:0 0 .75em}
    ul{list-style:none;margin:0;padding:0}
    li{display:grid;grid-template-columns:4em 1fr auto;gap:.75em;align-items:center;padding:.75em 0;border-bottom:1px solid var(--cartkeep-border,color-mix(in srgb,currentColor 20%,transparent))}
    img{width:4em;height:4em;object-fit:cover;border-radius:.4em;background:#f3f3f3}
    .title{display:block;font-weight:600;color:inherit;text-decoration:none}
    a.title:hover{text-decoration:underline}
    .controls{display:flex;flex-wrap:wrap;align-items:center;gap:.75em;margin-top:.4em}
    .stepper{display:inline-flex;align-items:center;gap:.25em}
    .stepper button,.remove{border:1px solid var(--cartkeep-border,color-mix(in srgb,currentColor 35%,transparent));background:var(--cartkeep-surface,transparent);min-width:2.25em;min-height:2.25em;cursor:pointer}
    .remove{border:none;text-decoration:underline;background:none;color:inherit;min-width:0}
    input{width:3.5em;text-align:center}
    .total{font-variant-numeric:tabular-nums;text-align:end}
    .summary{display:flex;justify-content:space-between;font-weight:700;margin-top:1em}
    .checkout{display:block;margin-top:1em;padding:.8em;text-align:center;border-radius:var(--cartkeep-control-radius,.4em);background:var(--cartkeep-accent,#1f6f4a);color:var(--cartkeep-accent-fg,#fff);text-decoration:none;font-weight:700}
    .empty{color:var(--cartkeep-muted,inherit)}
    .continue{display:inline-block;margin-top:.5em;padding:.7em 1.2em;border-radius:var(--cartkeep-control-radius,.4em);background:var(--cartkeep-accent,#1f6f4a);color:var(--cartkeep-accent-fg,#fff);text-decoration:none;font-weight:700}`;

  render(root, instance) {
    const cart = instance.cart.get();
    const { strings, locale } = instance.options;
    const money = (minor) => instance.formatMoney(minor);
    root.append(el('h2', { part: 'title' }, strings['cart.title'], ' ',
      el('small', {}, `(${pluralText(strings, 'cart.count', cart.count, locale)})`)));
    if (!cart.lines.length) {
      root.append(el('div', { part: 'empty-state', 'data-empty': '' },
        el('p', { class: 'empty', part: 'empty' }, strings['cart.empty']),
        el('a', { class: 'continue', part: 'continue', href: this.getAttribute('shop-url') || '/' }, strings['cart.continueShopping'])));
      return;
    }
    const list = el('ul', { part: 'lines' });
    for (const line of cart.lines) {
      const title = line.title;
      const change = (quantity) => this.change(instance, line.productId, title, () => instance.cart.setQuantity(line.productId, quantity));
      const input = el('input', {
        type: 'number', min: 0, inputmode: 'numeric', value: line.quantity,
        'aria-label': fillTemplate(strings['cart.quantity'], { title }),
        onchange: (event) => change(quantityFromText(event.target.value)),
      });
      list.append(el('li', { part: 'line', 'data-product-id': line.productId },
        line.image ? el('img', { src: line.image, alt: '' }) : el('span'),
        el('div', {},
          line.url ? el('a', { href: line.url, class: 'title', part: 'line-title' }, title) : el('span', { class: 'title', part: 'line-title' }, title),
          el('div', { class: 'controls' },
            el('div', { class: 'stepper', part: 'stepper' },
              el('button', { type: 'button', 'aria-label': fillTemplate(strings['cart.decrease'], { title }), onclick: () => change(line.quantity - 1) }, '−'),
              input,
              el('button', { type: 'button', 'aria-label': fillTemplate(strings['cart.increase'], { title }), onclick: () => change(line.quantity + 1) }, '+')),
            el('button', { type: 'button', class: 'remove', part: 'remove', 'aria-label': fillTemplate(strings['cart.removeItem'], { title }),
              onclick: () => this.change(instance, line.productId, title, () => instance.cart.remove(line.productId)) }, strings['cart.remove']))),
        el('div', { class: 'total' }, money(line.lineTotal))));
    }
    root.append(list, el('div', { class: 'summary', part: 'summary' },
      el('span', {}, strings['cart.subtotal']), el('span', { 'data-subtotal': cart.subtotal }, money(cart.subtotal))));
    const checkoutUrl = this.getAttribute('checkout-url');
    if (checkoutUrl) root.append(el('a', { class: 'checkout', part: 'checkout', href: checkoutUrl }, strings['cart.checkout']));
  }

  // Runs the action in the task after the click or change, so the browser can paint the press first.
  async change(instance, productId, title, action) {
    try {
      await nextTask();
      await action();
    } catch (error) {
      instance.reportError(error, { source: 'cart-view', productId });
      instance.announce(fillTemplate(instance.options.strings[`errors.${error.code}`] ?? instance.options.strings['errors.generic'], { title }));
      this.update(); // put the input back to the real quantity
    }
  }
}
