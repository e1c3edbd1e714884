// Widgets reserve their size from the first frame: each widget's rendered height on a page is remembered for
// the visit (sessionStorage: sizes only, no identifier), and on the next load of that page the widget holds
// that height until the engine is ready and it renders for real, so the page does not jump while it loads.
import { saveLastViews } from './last-view.js';
import { storageArea } from './storage-web.js';

const KEY = 'cartkeep:layout';
const live = new Set();
let remembered = null;
let reserving = true;

// Storage blocked: nothing is reserved, the page only loses the reservation.
const storage = () => storageArea('session');

function load() {
  if (remembered) return remembered;
  remembered = new Map();
  try {
    const parsed = JSON.parse(storage()?.getItem(KEY) || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [key, height] of Object.entries(parsed)) {
        if (Number.isFinite(height) && height > 0 && height < 10000) remembered.set(key, height);
      }
    }
  } catch {
    // A damaged record reserves nothing and is overwritten on the way out.
  }
  return remembered;
}

// The same widget on the same page: its path, tag, and id or position among widgets of that tag.
function keyOf(element) {
  const tag = element.localName;
  const position = element.id || String([...document.getElementsByTagName(tag)].indexOf(element));
  return `${location.pathname}|${tag}|${position}`;
}

function save() {
  const sizes = load();
  for (const element of live) {
    if (!element.instance || !element.isConnected) continue;
    // An inline widget (the cart count badge) flows with its text: there is nothing to hold.
    const { height } = element.getBoundingClientRect();
    if (height > 0 && getComputedStyle(element).display !== 'inline') sizes.set(keyOf(element), Math.round(height));
    else sizes.delete(keyOf(element));
  }
  // Oldest first: keep the most recent entries only.
  const entries = [...sizes].slice(-200);
  try {
    storage()?.setItem(KEY, JSON.stringify(Object.fromEntries(entries)));
  } catch {
    // Full or blocked: the next load just does not reserve.
  }
}

let listening = false;

export function trackLayout(element) {
  live.add(element);
  if (!listening && typeof addEventListener === 'function') {
    listening = true;
    addEventListener('pagehide', () => {
      save();
      saveLastViews(live);
    });
  }
}

export function untrackLayout(element) {
  live.delete(element);
}

// The engine failed to start: nothing will fill the widgets, so they give their space back.
export function releaseReservedSpace() {
  reserving = false;
  for (const element of live) if (!element.instance && element.shadowRoot) element.update();
}

// The height this widget had on this page last time, or 0.
export function rememberedHeight(element) {
  if (!reserving) return 0;
  if (typeof document === 'undefined' || typeof location === 'undefined') return 0;
  return load().get(keyOf(element)) || 0;
}
