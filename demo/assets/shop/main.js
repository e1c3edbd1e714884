// Hearth & Twine: the shop theme's own script. It renders the catalogue (data/catalog.json) and works
// without CartKeep; when CartKeep is ready it enables add-to-cart buttons and shows cart feedback.
// Everything from the catalogue or the URL is treated as data: DOM APIs and textContent only.
// One module per job: catalog.js (the catalogue's checks), cartkeep.js (CartKeep wiring), components.js,
// and one renderer per page in pages/.
import { catchUpWithCartKeep, watchCartKeep } from './cartkeep.js';
import { loadCatalog } from './catalog.js';
import { renderNav } from './components.js';
import { $, showNotice } from './dom.js';
import { renderCart } from './pages/cart.js';
import { renderCheckout } from './pages/checkout.js';
import { renderHome } from './pages/home.js';
import { renderProduct } from './pages/product.js';
import { page } from './state.js';

const renderers = { home: renderHome, product: renderProduct, cart: renderCart, checkout: renderCheckout };

async function start() {
  watchCartKeep();
  try {
    await loadCatalog();
  } catch (error) {
    renderNav(null);
    const empty = $('empty-state');
    if (empty) {
      empty.textContent = 'We couldn’t load our catalogue just now. Please refresh the page in a moment.';
      empty.hidden = false;
    } else {
      showNotice('We couldn’t load our catalogue just now. Please refresh the page in a moment.');
    }
    console.warn('catalogue failed to load:', error.message);
    return;
  }
  const render = renderers[page];
  if (render) render();
  catchUpWithCartKeep();
}

start();
