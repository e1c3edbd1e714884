// Registers every <cartkeep-*> element once per page.
import { defineElement } from './base-element.js';
import { CartCountElement } from './cart-count.js';
import { CartViewElement } from './cart-view.js';

export function defineWidgets() {
  defineElement('cartkeep-cart-count', CartCountElement);
  defineElement('cartkeep-cart', CartViewElement);
}
