// <cartkeep-cart-count>: the number of units in the cart, with an accessible label ("3 items").
import { formatNumber, pluralText } from '../platform/format.js';
import { CartKeepElement, el } from '../platform/base-element.js';

export class CartCountElement extends CartKeepElement {
  // The badge's width from the first frame, before the engine answers (one digit: 1.5em of text at .85em plus
  // its padding), so a header laid out around it does not reflow when the count arrives.
  static styles = `:host{display:inline-block;min-inline-size:1.955em}
    span{display:inline-block;min-width:1.5em;padding:0 .4em;border-radius:1em;text-align:center;
      background:var(--cartkeep-badge-bg,#1f6f4a);color:var(--cartkeep-badge-fg,#fff);font:inherit;font-size:.85em}`;

  render(root, instance) {
    const count = instance.cart.count();
    const { strings, locale } = instance.options;
    root.append(el('span', { part: 'badge', 'aria-label': pluralText(strings, 'cart.count', count, locale) },
      formatNumber(count, locale)));
  }
}
