// The cart page: CartKeep's widgets do the work; without CartKeep the theme shows popular picks.
import { stockInfo } from '../catalog.js';
import { productCard, renderNav } from '../components.js';
import { $, setTitle } from '../dom.js';
import { pageHooks, state } from '../state.js';

export function renderCart() {
  renderNav(null);
  setTitle('Your cart');
  const renderSuggestions = () => {
    const inCart = new Set(state.instance ? state.instance.cart.lines().map((line) => line.productId) : []);
    const picks = state.catalog.filter((product) => stockInfo(product).level !== 'out' && !inCart.has(product.id)).slice(0, 4);
    $('suggestion-grid').replaceChildren(...picks.map(productCard));
    $('suggestions').hidden = picks.length === 0;
  };
  // With CartKeep, <cartkeep-suggestions> fills the cart page; the theme's popular picks are the fallback.
  pageHooks.unavailable = () => { $('cart-fallback').hidden = false; renderSuggestions(); };
  // An empty cart has no delivery or total to show: the aside keeps only the shop's promise (shop.css, from
  // CartKeep's <html data-cartkeep-cart>, set from the first frame).
}
