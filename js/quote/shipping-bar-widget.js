// <cartkeep-shipping-bar>: free-shipping progress for the cart ("Spend £12.10 more for free shipping"),
// a native <progress> with an accessible name; hidden when the destination has no free-shipping rule.
import { CartKeepElement, el } from '../platform/base-element.js';
import { sharedStyles } from './quote-view.js';

export class ShippingBarElement extends CartKeepElement {
  static styles = `${sharedStyles}
    :host([hidden]){display:none}
    p{margin:0 0 .35em}
    progress{width:100%;height:.6em;accent-color:var(--cartkeep-accent,#1f6f4a)}
    .reached{font-weight:700;color:var(--cartkeep-accent,#1f6f4a)}`;

  static events = ['cart-change', 'quote-change'];

  // The bar keeps what it shows until the new quote arrives (CartKeepElement.update).
  async load(instance) {
    return { quote: await instance.quote({}) };
  }

  render(root, instance, { quote, error }) {
    if (error) instance.reportError(error, { source: this.localName });
    const progress = quote && quote.shippable && quote.count > 0 ? quote.freeShipping : null;
    this.hidden = !progress;
    if (!progress) return;
    const text = instance.quote.message(progress.message);
    root.append(el('div', { part: 'bar', 'data-remaining': progress.remaining, 'data-percent': progress.percent },
      el('p', { class: progress.reached ? 'reached' : '', part: 'message' }, text),
      el('progress', { max: 100, value: progress.percent, 'aria-label': instance.options.strings['shippingBar.label'], 'aria-valuetext': text })));
  }
}
