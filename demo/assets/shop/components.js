// The pieces several pages render: the category navigation, an add-to-cart button and a product card.
import { applyCartState } from './cartkeep.js';
import { stockInfo } from './catalog.js';
import { $, categoryUrl, formatPrice, h, productUrl } from './dom.js';
import { state } from './state.js';

export function renderNav(current) {
  const list = $('category-nav');
  if (!list) return;
  const items = [h('li', {}, h('a', { href: 'index.html', 'aria-current': current === '' ? 'page' : null }, 'All gifts'))];
  for (const category of state.categories) {
    items.push(h('li', {}, h('a', { href: categoryUrl(category), 'aria-current': current === category ? 'page' : null }, category)));
  }
  list.replaceChildren(...items);
  // on narrow screens the list scrolls sideways: keep the current category in view
  const active = list.querySelector('[aria-current="page"]');
  if (active && list.scrollWidth > list.clientWidth) active.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

export function addButton(product, { label = 'Add to cart', compact = true } = {}) {
  const info = stockInfo(product);
  if (info.level === 'out') {
    return h('button', { type: 'button', class: 'button button-secondary', disabled: true }, 'Sold out');
  }
  const button = h('button', {
    type: 'button',
    class: `button ${compact ? 'button-secondary' : 'button-primary'}`,
    'data-cartkeep-add': product.id,
    'aria-label': `Add ${product.title} to cart`,
  }, label);
  applyCartState(button);
  return button;
}

export function productCard(product) {
  const info = stockInfo(product);
  const href = productUrl(product.id);
  return h('li', { class: 'product-card', 'data-product-id': product.id },
    info.level === 'in' ? null : h('span', { class: `badge badge-${info.level}` }, info.text),
    h('a', { class: 'product-card-media', href, tabindex: '-1', 'aria-hidden': 'true' },
      h('img', { src: product.image, alt: '', width: 400, height: 400, loading: 'lazy', decoding: 'async' })),
    h('div', { class: 'product-card-body' },
      h('p', { class: 'product-card-category' }, product.category),
      h('h3', { class: 'product-card-title' }, h('a', { href }, product.title)),
      h('div', { class: 'product-card-footer' },
        h('span', { class: 'price' }, formatPrice(product.price)),
        addButton(product))));
}
