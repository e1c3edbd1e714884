// The product page: details, quantity and add to cart, what is in the cart, and related products when CartKeep
// cannot suggest what is bought with it.
import { applyCartState } from '../cartkeep.js';
import { stockInfo } from '../catalog.js';
import { productCard, renderNav } from '../components.js';
import { $, categoryUrl, formatPrice, formatWeight, h, searchUrl, setTitle } from '../dom.js';
import { CATEGORY_BLURBS, pageHooks, params, state } from '../state.js';

export function renderProduct() {
  const id = params.get('id') || '';
  const product = state.byId.get(id);
  if (!product) {
    renderNav(null);
    setTitle('Product not found');
    $('not-found').hidden = false;
    if (id) $('not-found-text').textContent = `We couldn’t find item “${id.slice(0, 40)}”. It may have sold out for good, or the link may be wrong.`;
    return;
  }
  renderNav(product.category);
  setTitle(product.title);
  const crumbs = $('breadcrumbs');
  crumbs.replaceChildren(
    h('li', {}, h('a', { href: 'index.html' }, 'Home')),
    h('li', {}, h('a', { href: categoryUrl(product.category) }, product.category)),
    h('li', { 'aria-current': 'page' }, product.title));

  const image = $('product-image');
  image.src = product.image;
  image.alt = product.title;
  const categoryLine = $('product-category');
  categoryLine.replaceChildren(h('a', { href: categoryUrl(product.category) }, product.category));
  $('product-title').textContent = product.title;
  $('product-price').textContent = formatPrice(product.price);
  const info = stockInfo(product);
  const stock = $('product-stock');
  stock.textContent = info.level === 'low' ? `Only ${product.stock} left in stock — order soon` : info.text;
  stock.className = `stock stock-${info.level}`;
  $('product-sku').textContent = product.id;
  $('product-weight').textContent = product.weight === null ? '—' : formatWeight(product.weight);
  const blurb = CATEGORY_BLURBS[product.category] || '';
  $('product-description').textContent =
    `${product.title} is one of our ${product.category.toLowerCase()} favourites, chosen by customers again and again. ${blurb}`;
  $('product-tags').replaceChildren(...product.tags
    .filter((tag) => !tag.includes('-and-') && tag.length <= 30)
    .slice(0, 8)
    .map((tag) => h('li', {}, h('a', { href: searchUrl(tag) }, tag))));

  const qty = $('qty');
  const button = $('add-to-cart');
  const max = () => {
    const limit = state.instance && state.instance.options.cart ? state.instance.options.cart.maxQuantityPerLine : 99;
    return product.stock === null ? limit : Math.max(1, Math.min(limit, product.stock));
  };
  qty.max = String(max());
  const clamp = (value) => Math.min(max(), Math.max(1, Math.trunc(Number(value)) || 1));
  $('qty-minus').addEventListener('click', () => { qty.value = String(clamp(Number(qty.value) - 1)); });
  $('qty-plus').addEventListener('click', () => { qty.value = String(clamp(Number(qty.value) + 1)); });
  qty.addEventListener('change', () => { qty.value = String(clamp(qty.value)); });
  $('buy-box').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!button.disabled) button.click();
  });

  if (info.level === 'out') {
    button.textContent = 'Sold out';
    button.disabled = true;
    qty.disabled = true;
    $('qty-minus').disabled = true;
    $('qty-plus').disabled = true;
  } else {
    button.setAttribute('data-cartkeep-add', product.id);
    applyCartState(button);
  }

  const status = $('cart-status');
  const showInCart = () => {
    if (!state.instance) return;
    const line = state.instance.cart.lines().find((item) => item.productId === product.id);
    status.className = 'cart-status cart-status-ok';
    status.replaceChildren();
    if (line) status.append(`${line.quantity} in your cart · `, h('a', { href: 'cart.html' }, 'View cart'));
  };
  pageHooks.ready = () => { qty.max = String(max()); showInCart(); };
  pageHooks.cartChange = showInCart;
  pageHooks.unavailable = () => {
    status.className = 'cart-status cart-status-error';
    status.textContent = 'Adding to the cart is unavailable right now.';
  };

  // CartKeep records the view and suggests what is bought with it; without CartKeep, same-category picks.
  document.body.setAttribute('data-cartkeep-product', product.id);
  $('bought-together').setAttribute('product-id', product.id);
  const related = state.catalog.filter((item) => item.category === product.category && item.id !== product.id).slice(0, 4);
  const showRelated = () => {
    $('related-grid').replaceChildren(...related.map(productCard));
    $('related').hidden = related.length === 0;
  };
  const ready = pageHooks.ready;
  const unavailable = pageHooks.unavailable;
  pageHooks.ready = (instance) => { ready(instance); $('related').hidden = true; };
  pageHooks.unavailable = () => { unavailable(); showRelated(); };
  $('product-detail').hidden = false;
}
