// Declarative buttons: <button data-cartkeep-add="SKU" data-cartkeep-quantity="2">, or a quantity
// taken from an input: data-cartkeep-quantity-from="#qty". One delegated listener per instance.
import { fillTemplate } from '../platform/format.js';
import { nextTask } from '../platform/next-task.js';
import { quantityFromText } from './cart.js';

function quantityFor(button) {
  const source = button.getAttribute('data-cartkeep-quantity-from');
  if (source) {
    const input = document.querySelector(source);
    if (input) return quantityFromText(input.value);
  }
  const written = button.getAttribute('data-cartkeep-quantity');
  return written ? quantityFromText(written) : 1;
}

export function bindAddToCartButtons(instance, { strings, announce, reportError }) {
  const onClick = async (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-cartkeep-add]') : null;
    if (!button) return;
    event.preventDefault();
    const productId = button.getAttribute('data-cartkeep-add');
    const quantity = quantityFor(button); // as the shopper saw it when clicking
    // The click's own task ends here, so the browser can paint the press before the cart action (the
    // action's code and its message to the engine) runs in the next task.
    await nextTask();
    try {
      // The cart the core answers with names the product: no second call to look it up.
      const line = (await instance.cart.add(productId, quantity)).lines.find((l) => l.productId === productId);
      announce(fillTemplate(strings['cart.added'], { title: line ? line.title : productId }));
    } catch (error) {
      const template = strings[`errors.${error.code}`] ?? strings['errors.generic'];
      const product = instance.catalog.get(productId); // the shopper reads the title in the error too
      announce(fillTemplate(template, { title: product ? product.title : productId }));
      reportError(error, { source: 'add-to-cart', productId });
    }
  };
  document.addEventListener('click', onClick);
  return () => document.removeEventListener('click', onClick);
}
