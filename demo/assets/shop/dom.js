// DOM helpers of the shop's script: elements built with DOM APIs and text nodes only (everything from the
// catalogue or the URL is data), prices, links, the page title, the toast and the notice.
import { SHOP_NAME, state } from './state.js';

export const $ = (id) => document.getElementById(id);

// h('a', {href: url, class: 'x'}, 'text', child): attributes via setAttribute, text via text nodes.
export function h(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

// Integer pence -> "£2.95", via a decimal string (no floating point on amounts).
export function formatPrice(pence) {
  if (state.instance) {
    try { return state.instance.formatMoney(pence); } catch { /* fall back to our own formatter */ }
  }
  const digits = String(Math.abs(pence)).padStart(3, '0');
  return money.format(`${pence < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`);
}

export function formatWeight(grams) {
  return grams >= 1000 ? `${(grams / 1000).toLocaleString('en-GB', { maximumFractionDigits: 2 })} kg` : `${grams} g`;
}

export const productUrl = (id) => `product.html?id=${encodeURIComponent(id)}`;
export const categoryUrl = (category) => `index.html?category=${encodeURIComponent(category)}`;
export const searchUrl = (query) => `index.html?q=${encodeURIComponent(query)}`;

export function setTitle(text) {
  document.title = text ? `${text} — ${SHOP_NAME}` : `${SHOP_NAME} — gifts from London`;
}

let toastTimer = 0;
export function toast(message, { link = null, error = false } = {}) {
  const box = $('toast');
  if (!box) return;
  box.replaceChildren(h('span', {}, message));
  if (link) box.append(h('a', { href: link.href }, link.text));
  box.classList.toggle('toast-error', error);
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 4500);
}

export function showNotice(text) {
  const notice = $('shop-notice');
  if (!notice) return;
  notice.textContent = text;
  notice.hidden = false;
}
