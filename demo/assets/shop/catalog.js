// The catalogue (data/catalog.json), checked item by item: a malformed product is dropped, an image that is not
// a same-origin http(s) URL is replaced, so nothing a tampered catalogue holds reaches the page unchecked.
import { CATEGORY_ORDER, state } from './state.js';

const CATALOG_URL = 'data/catalog.json';
const FALLBACK_IMAGE = 'images/gifts.svg';

const isText = (value) => typeof value === 'string';

// Only same-origin http(s) images; anything else (javascript:, data: from a tampered catalogue) is dropped.
export function safeImage(src) {
  if (typeof src !== 'string' || !src) return FALLBACK_IMAGE;
  try {
    const url = new URL(src, document.baseURI);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === window.location.origin) return url.href;
  } catch { /* invalid URL */ }
  return FALLBACK_IMAGE;
}

export function stockInfo(product) {
  if (product.stock === null || product.stock === undefined) return { level: 'in', text: 'In stock' };
  if (product.stock <= 0) return { level: 'out', text: 'Sold out' };
  if (product.stock <= 5) return { level: 'low', text: `Only ${product.stock} left` };
  return { level: 'in', text: 'In stock' };
}

function cleanProduct(item) {
  if (!item || typeof item !== 'object') return null;
  if (!isText(item.id) || !item.id || !isText(item.title) || !Number.isSafeInteger(item.price) || item.price < 0) return null;
  return {
    id: item.id,
    title: item.title,
    price: item.price,
    category: isText(item.category) && item.category ? item.category : 'Gifts',
    tags: Array.isArray(item.tags) ? item.tags.filter(isText) : [],
    weight: Number.isSafeInteger(item.weight) ? item.weight : null,
    stock: Number.isSafeInteger(item.stock) ? item.stock : null,
    image: safeImage(item.image),
  };
}

export async function loadCatalog() {
  const response = await fetch(CATALOG_URL, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const data = await response.json();
  if (!Array.isArray(data)) throw new Error('catalogue is not a list');
  state.catalog = data.map(cleanProduct).filter(Boolean);
  state.byId = new Map(state.catalog.map((product) => [product.id, product]));
  const found = [...new Set(state.catalog.map((product) => product.category))];
  state.categories = [
    ...CATEGORY_ORDER.filter((category) => found.includes(category)),
    ...found.filter((category) => !CATEGORY_ORDER.includes(category)).sort(),
  ];
}
