// <html data-cartkeep-cart="empty|filled">: whether the cart holds anything, for the theme's CSS (an empty cart
// page lays out without a total, for one). Once the engine has the cart it follows every change; before that it is
// set from the first frame when this device can tell, so a theme's empty layout needs no later change that would
// move the page. The device can tell because a cart reaches a new page only from the saved copy or a resume link:
// the page keeps a one-line hint of the saved cart beside it, and with no hint and no link the cart is empty.
import { storageArea } from '../platform/storage-web.js';

const HINT_KEY = 'cartkeep:cart-presence';

const mark = (filled) => document.documentElement.setAttribute('data-cartkeep-cart', filled ? 'filled' : 'empty');

// Runs `change` on localStorage; blocked or full storage only costs the next page its first-frame attribute.
function withStorage(change) {
  try {
    const area = storageArea('local');
    return area ? change(area) : undefined;
  } catch {
    return undefined;
  }
}

// Before the engine: the hint says whether the saved cart has lines and which URL parameter carries resume links
// (a link may bring a cart; then nothing is claimed). No hint: nothing was ever saved here. A damaged or
// unreadable hint claims nothing; the engine's cart corrects it.
export function markCartPresenceEarly() {
  if (typeof document === 'undefined' || document.documentElement.hasAttribute('data-cartkeep-cart')) return;
  const hint = withStorage((area) => JSON.parse(area.getItem(HINT_KEY)) || {});
  if (!hint) return;
  if (hint.filled !== true && new URLSearchParams(location.search).has(hint.link || 'cartkeep')) return;
  mark(hint.filled === true);
}

// The engine's cart, now and after every change. The hint is kept only beside a cart `saved()` on the device: a
// store that keeps its cart in memory leaves no trace, and forget() removes it with the rest.
export function followCartPresence(instance, saved) {
  if (typeof document === 'undefined') return () => {};
  const link = instance.options.persistence?.link?.param;
  const update = (count) => {
    mark(count > 0);
    withStorage((area) => (saved() ? area.setItem(HINT_KEY, JSON.stringify({ filled: count > 0, link })) : area.removeItem(HINT_KEY)));
  };
  update(instance.cart.count());
  const stops = [
    instance.events.on('cart-change', ({ cart }) => update(cart.count)),
    instance.events.on('forget', () => withStorage((area) => area.removeItem(HINT_KEY))),
  ];
  return () => stops.forEach((stop) => stop());
}
