// The last thing each cart widget showed, replayed until the engine answers: the count, the cart's lines and the
// shipping bar appear in the first frame instead of after the engine starts, and stay (read only) if it never
// does. Kept for the visit in sessionStorage. What is stored is untrusted when read back: it is
// rebuilt from an allowlist of tags and attributes with createElement and textContent, never parsed as HTML;
// links and controls come back inert.
import { storageArea } from './storage-web.js';

const KEY = 'cartkeep:last-view';
const WIDGETS = new Set(['cartkeep-cart-count', 'cartkeep-cart', 'cartkeep-shipping-bar']);
const TAGS = new Set(['div', 'span', 'p', 'ul', 'ol', 'li', 'h2', 'h3', 'small', 'strong', 'b', 'img', 'progress', 'input',
  'button', 'a', 'section', 'label']);
const ATTRIBUTES = /^(?:class|part|role|dir|lang|aria-[a-z-]+|data-[a-z-]+|value|max|min|type|alt|width|height|src)$/;
const MAX_NODES = 400;
const MAX_TEXT = 2000;

const storage = () => storageArea('session');

export function keepsLastView(element) {
  return WIDGETS.has(element.localName);
}

// The count badge is inline and the same on every page, so it shows what the previous page ended with; a block
// widget's size and layout depend on the page, so it replays what it showed on this page last time.
const ACROSS_PAGES = new Set(['cartkeep-cart-count']);

function keyOf(element) {
  const tag = element.localName;
  const position = element.id || String([...document.getElementsByTagName(tag)].indexOf(element));
  return ACROSS_PAGES.has(tag) ? `${tag}|${position}` : `${location.pathname}|${tag}|${position}`;
}

// Parsed once per page: only this tab writes its sessionStorage, and only through saveLastViews.
let views = null;
function read() {
  if (views) return views;
  try {
    const parsed = JSON.parse(storage()?.getItem(KEY) || '{}');
    views = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
  } catch {
    views = {}; // damaged: nothing is replayed, and the next save overwrites it
  }
  return views;
}

const safeSource = (value) => /^(?:https?:\/\/|\/(?!\/)|\.{0,2}\/|[\w-]+\.\w+)/i.test(value) && !/^\s*(?:javascript|data):/i.test(value);

// The shadow tree as [tag, {attributes}, ...children] with text as strings; null past the size limits.
function capture(root) {
  let nodes = 0;
  const walk = (node) => {
    if (++nodes > MAX_NODES) throw new RangeError('too large');
    if (node.nodeType === 3) return node.data.slice(0, MAX_TEXT);
    if (node.nodeType !== 1 || !TAGS.has(node.localName)) return null;
    const attributes = {};
    for (const { name, value } of node.attributes) if (ATTRIBUTES.test(name)) attributes[name] = value.slice(0, MAX_TEXT);
    if (node.localName === 'input' || node.localName === 'progress') attributes.value = String(node.value);
    return [node.localName, attributes, ...[...node.childNodes].map(walk).filter((child) => child !== null)];
  };
  try {
    return [...root.childNodes].map(walk).filter((child) => child !== null);
  } catch {
    return null;
  }
}

// Saves what each live widget shows; called as the page goes.
export function saveLastViews(elements) {
  read();
  for (const element of elements) {
    if (!keepsLastView(element) || !element.instance || !element.isConnected || !element.shadowRoot) continue;
    const tree = capture(element.shadowRoot);
    if (tree) views[keyOf(element)] = tree;
  }
  try {
    storage()?.setItem(KEY, JSON.stringify(views));
  } catch {
    // full or blocked: the next page starts from its placeholders
  }
}

function rebuild(item, depth) {
  if (typeof item === 'string') return document.createTextNode(item.slice(0, MAX_TEXT));
  if (!Array.isArray(item) || depth > 30) return null;
  const [tag, attributes, ...children] = item;
  if (typeof tag !== 'string' || !TAGS.has(tag)) return null;
  // Links and controls come back inert: the engine is not there to act on them.
  const node = document.createElement(tag === 'a' ? 'span' : tag);
  if (attributes && typeof attributes === 'object' && !Array.isArray(attributes)) {
    for (const [name, value] of Object.entries(attributes)) {
      if (!ATTRIBUTES.test(name) || typeof value !== 'string') continue;
      if (name === 'src' && !safeSource(value)) continue;
      node.setAttribute(name, value);
    }
  }
  if (tag === 'button' || tag === 'input') node.disabled = true;
  for (const child of children) {
    const built = rebuild(child, depth + 1);
    if (built) node.append(built);
  }
  return node;
}

// The nodes this widget showed last in this visit (inert), or null.
export function lastView(element) {
  if (!keepsLastView(element) || typeof document === 'undefined') return null;
  const tree = read()[keyOf(element)];
  if (!Array.isArray(tree)) return null;
  const nodes = tree.map((item) => rebuild(item, 0)).filter(Boolean);
  return nodes.length ? nodes : null;
}
