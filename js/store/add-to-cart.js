// Declarative buttons: <button data-cartkeep-add="SKU" data-cartkeep-quantity="2">, or a quantity
// taken from an input: data-cartkeep-quantity-from="#qty". One delegated listener per instance.
import { fillTemplate } from '../platform/format.js';

function quantityFor(button) {
  const source = button.getAttribute('data-cartkeep-quantity-from');
  if (source) {
    const input = document.querySelector(source);
    if (input) return Number(input.value);
  }
  return Number(button.getAttribute('data-cartkeep-quantity') || 1);
}

export function bindAddToCartButtons(instance, { strings, announce, reportError }) {
  const onClick = (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-cartkeep-add]') : null;
    if (!button) return;
    event.preventDefault();
    const productId = button.getAttribute('data-cartkeep-add');
    const product = instance.catalog.get(productId);
    const title = product ? product.title : productId;
    try {
      instance.cart.add(productId, quantityFor(button));
      announce(fillTemplate(strings['cart.added'], { title }));
    } catch (error) {
      const template = strings[`errors.${error.code}`] ?? strings['errors.generic'];
      announce(fillTemplate(template, { title }));
      reportError(error, { source: 'add-to-cart', productId });
    }
  };
  document.addEventListener('click', onClick);
  return () => document.removeEventListener('click', onClick);
}
