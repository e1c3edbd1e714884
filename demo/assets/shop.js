// Hearth & Twine: the shop theme's own script. It renders the catalogue (data/catalog.json) and works
// without CartKeep; when CartKeep is ready it enables add-to-cart buttons and shows cart feedback.
// Everything from the catalogue or the URL is treated as data: DOM APIs and textContent only.
(() => {
  'use strict';

  const SHOP_NAME = 'Hearth & Twine';
  const CATALOG_URL = 'data/catalog.json';
  const PAGE_SIZE = 24;
  const MAX_QUERY = 80;
  const CATEGORY_ORDER = ['Candles & Lights', 'Kitchen & Dining', 'Home Decor', 'Bags', 'Christmas', 'Party',
    'Toys & Games', 'Stationery & Cards', 'Storage', 'Garden', 'Gifts'];
  const CATEGORY_BLURBS = {
    'Candles & Lights': 'Hanging hearts, lanterns and T-light holders to make any evening glow.',
    'Kitchen & Dining': 'Regency teacups, cake stands and everything for a proper afternoon tea.',
    'Home Decor': 'Signs, frames, clocks and wicker hearts with a little wit and a lot of charm.',
    Bags: 'Jumbo shoppers, lunch bags and Charlotte bags in our best-loved prints.',
    Christmas: 'Paper chains, bunting and decorations for a vintage Christmas.',
    Party: 'Bunting, paper plates and parasols: everything for a garden party.',
    'Toys & Games': 'Traditional games and felt crafts for rainy afternoons.',
    'Stationery & Cards': 'Ribbons, cards and stationery sets for thoughtful notes.',
    Storage: 'Tins, baskets, knobs and cabinets to keep things beautifully tidy.',
    Garden: 'Cheerful things for gardeners and potting sheds.',
    Gifts: 'Hot water bottles, hand warmers and little treats for someone special.',
  };

  const page = document.body.getAttribute('data-page') || '';
  const params = new URLSearchParams(window.location.search);
  const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

  const state = {
    catalog: [],
    byId: new Map(),
    categories: [],
    cart: 'loading', // 'loading' | 'ready' | 'unavailable'
    instance: null,
  };

  // ------------------------------------------------------------------------------------------ helpers

  const $ = (id) => document.getElementById(id);

  // h('a', {href: url, class: 'x'}, 'text', child): attributes via setAttribute, text via text nodes.
  function h(tag, attributes, ...children) {
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

  // Integer pence -> "£2.95", via a decimal string (no floating point on amounts).
  function formatPrice(pence) {
    if (state.instance) {
      try { return state.instance.formatMoney(pence); } catch { /* fall back to our own formatter */ }
    }
    const digits = String(Math.abs(pence)).padStart(3, '0');
    return money.format(`${pence < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`);
  }

  function formatWeight(grams) {
    return grams >= 1000 ? `${(grams / 1000).toLocaleString('en-GB', { maximumFractionDigits: 2 })} kg` : `${grams} g`;
  }

  const productUrl = (id) => `product.html?id=${encodeURIComponent(id)}`;
  const categoryUrl = (category) => `index.html?category=${encodeURIComponent(category)}`;
  const searchUrl = (query) => `index.html?q=${encodeURIComponent(query)}`;

  // Only same-origin http(s) images; anything else (javascript:, data: from a tampered catalogue) is dropped.
  function safeImage(src) {
    if (typeof src !== 'string' || !src) return 'images/gifts.svg';
    try {
      const url = new URL(src, document.baseURI);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === window.location.origin) return url.href;
    } catch { /* invalid URL */ }
    return 'images/gifts.svg';
  }

  function stockInfo(product) {
    if (product.stock === null || product.stock === undefined) return { level: 'in', text: 'In stock' };
    if (product.stock <= 0) return { level: 'out', text: 'Sold out' };
    if (product.stock <= 5) return { level: 'low', text: `Only ${product.stock} left` };
    return { level: 'in', text: 'In stock' };
  }

  function setTitle(text) {
    document.title = text ? `${text} — ${SHOP_NAME}` : `${SHOP_NAME} — gifts from London`;
  }

  let toastTimer = 0;
  function toast(message, { link = null, error = false } = {}) {
    const box = $('toast');
    if (!box) return;
    box.replaceChildren(h('span', {}, message));
    if (link) box.append(h('a', { href: link.href }, link.text));
    box.classList.toggle('toast-error', error);
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, 4500);
  }

  function showNotice(text) {
    const notice = $('shop-notice');
    if (!notice) return;
    notice.textContent = text;
    notice.hidden = false;
  }

  // ------------------------------------------------------------------------------------------ catalogue

  const isText = (value) => typeof value === 'string';

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

  async function loadCatalog() {
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

  function renderNav(current) {
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

  function addButton(product, { label = 'Add to cart', compact = true } = {}) {
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

  function productCard(product) {
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

  // ------------------------------------------------------------------------------------------ CartKeep

  // Add-to-cart buttons only work once CartKeep is ready; until then (or if it never loads) they are disabled.
  function applyCartState(button) {
    if (state.cart === 'ready') {
      button.disabled = false;
      button.removeAttribute('title');
    } else {
      button.disabled = true;
      button.title = state.cart === 'loading' ? 'Loading the cart…' : 'The cart is unavailable right now';
    }
  }

  function syncAddButtons() {
    document.querySelectorAll('[data-cartkeep-add]').forEach(applyCartState);
  }

  function titleFor(productId) {
    const product = state.byId.get(productId);
    return product ? product.title : String(productId);
  }

  function cartStrings() {
    return (state.instance && state.instance.options && state.instance.options.strings) || {};
  }

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
  }

  function onCartReady(instance) {
    state.instance = instance;
    state.cart = 'ready';
    document.documentElement.classList.add('cartkeep-ready');
    syncAddButtons();
    pageHooks.ready(instance);
  }

  function onCartUnavailable(error) {
    state.cart = 'unavailable';
    document.documentElement.classList.add('cartkeep-unavailable');
    syncAddButtons();
    showNotice('Our cart is taking a short break, so items can’t be added right now. You can still browse everything.');
    if (error && typeof console !== 'undefined') console.info('CartKeep unavailable:', error.code || '', error.message || error);
    pageHooks.unavailable();
  }

  function watchCartKeep() {
    document.addEventListener('cartkeep:cart-change', (event) => {
      const detail = event.detail || {};
      if (detail.action === 'add' && page !== 'checkout') {
        const strings = cartStrings();
        const text = fill(strings['cart.added'] || '{title} added to your cart', { title: titleFor(detail.productId) });
        toast(text, page === 'cart' ? {} : { link: { href: 'cart.html', text: 'View cart' } });
      }
      pageHooks.cartChange(detail);
    });
    document.addEventListener('cartkeep:error', (event) => {
      const detail = event.detail || {};
      if (detail.source !== 'add-to-cart' && detail.source !== 'cart-view') return; // init failures: see ready
      const strings = cartStrings();
      const template = strings[`errors.${detail.code}`] || strings['errors.generic'] || 'Something went wrong. Please try again.';
      toast(fill(template, { title: titleFor(detail.productId) }), { error: true });
    });
    const api = window.CartKeep;
    if (!api || !api.ready || typeof api.ready.then !== 'function') {
      onCartUnavailable(new Error('cartkeep.js did not load'));
      return;
    }
    api.ready.then(onCartReady, onCartUnavailable);
  }

  // ------------------------------------------------------------------------------------------ pages

  const pageHooks = { ready() {}, unavailable() {}, cartChange() {} };

  function renderHome() {
    const rawCategory = params.get('category');
    const rawQuery = (params.get('q') || '').trim().slice(0, MAX_QUERY);
    const category = rawCategory === null ? '' : rawCategory;
    const knownCategory = state.categories.includes(category);
    const searchInput = $('site-search');
    if (searchInput) searchInput.value = rawQuery;
    renderNav(knownCategory ? category : (category ? null : ''));

    const filtered = Boolean(category || rawQuery);
    $('hero').hidden = filtered;
    $('home-suggestions').hidden = filtered;
    const tiles = $('category-tiles');
    if (!filtered) {
      tiles.replaceChildren(...state.categories.map((name) => {
        const sample = state.catalog.find((product) => product.category === name);
        return h('a', { class: 'category-tile', href: categoryUrl(name) },
          h('img', { src: sample ? sample.image : 'images/gifts.svg', alt: '', width: 160, height: 160 }), name);
      }));
      tiles.hidden = false;
    } else {
      tiles.hidden = true;
    }

    let products = state.catalog;
    if (category) products = knownCategory ? products.filter((product) => product.category === category) : [];
    const words = rawQuery.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length) {
      products = products.filter((product) => {
        const haystack = `${product.title} ${product.category} ${product.tags.join(' ')} ${product.id}`.toLowerCase();
        return words.every((word) => haystack.includes(word));
      });
    }

    const title = $('listing-title');
    if (rawQuery) title.textContent = `Results for “${rawQuery}”`;
    else if (category && knownCategory) title.textContent = category;
    else if (category) title.textContent = 'Category not found';
    else title.textContent = 'Bestsellers';
    setTitle(category && knownCategory ? category : rawQuery ? `Search: ${rawQuery}` : '');

    const sortSelect = $('sort');
    const sortValues = [...sortSelect.options].map((option) => option.value);
    const sort = sortValues.includes(params.get('sort')) ? params.get('sort') : 'popular';
    sortSelect.value = sort;
    const sorted = sortProducts(products, sort);

    let shown = 0;
    const grid = $('product-grid');
    const more = $('load-more');
    const summary = $('listing-summary');
    const empty = $('empty-state');
    grid.replaceChildren();

    const where = category && knownCategory ? ` in ${category}` : '';
    summary.textContent = `${sorted.length} ${sorted.length === 1 ? 'product' : 'products'}${where}`;
    if (category && knownCategory && CATEGORY_BLURBS[category] && !rawQuery) summary.textContent += ` · ${CATEGORY_BLURBS[category]}`;

    empty.hidden = sorted.length > 0;
    if (!sorted.length) {
      if (category && !knownCategory) empty.textContent = `We don’t have a “${category}” category. Try one of the categories above.`;
      else if (rawQuery) empty.textContent = `Nothing matches “${rawQuery}”. Try a shorter word, like “heart” or “bag”.`;
      else empty.textContent = 'No products here yet.';
    }

    const showMore = () => {
      const next = sorted.slice(shown, shown + PAGE_SIZE);
      grid.append(...next.map(productCard));
      shown += next.length;
      more.hidden = shown >= sorted.length;
      more.textContent = `Show more (${sorted.length - shown} more)`;
    };
    more.onclick = () => {
      const focusIndex = shown;
      showMore();
      const link = grid.children[focusIndex] && grid.children[focusIndex].querySelector('.product-card-title a');
      if (link) link.focus();
    };
    showMore();

    sortSelect.onchange = () => {
      const next = new URLSearchParams(window.location.search);
      if (sortSelect.value === 'popular') next.delete('sort'); else next.set('sort', sortSelect.value);
      const query = next.toString();
      window.history.replaceState(null, '', query ? `?${query}` : window.location.pathname);
      params.delete('sort');
      if (sortSelect.value !== 'popular') params.set('sort', sortSelect.value);
      renderHome();
    };
  }

  function sortProducts(products, sort) {
    const list = products.slice();
    if (sort === 'price-asc') list.sort((a, b) => a.price - b.price);
    else if (sort === 'price-desc') list.sort((a, b) => b.price - a.price);
    else if (sort === 'name') list.sort((a, b) => a.title.localeCompare(b.title, 'en-GB'));
    return list; // 'popular': catalogue order (most ordered first); Array#sort is stable
  }

  function renderProduct() {
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

  function renderCart() {
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
    // An empty cart has no delivery or total to show: the aside keeps only the shop's promise.
    const markEmpty = () => { if (state.instance) document.body.toggleAttribute('data-cart-empty', state.instance.cart.count() === 0); };
    pageHooks.ready = markEmpty;
    pageHooks.cartChange = markEmpty;
  }

  // CartKeep records the order (the total of the quote the shopper saw, never an amount from the page) and
  // empties the cart; an older CartKeep without the event stream just empties it.
  function recordPurchase(orderId) {
    const instance = state.instance;
    if (typeof instance.purchase !== 'function') {
      instance.cart.clear();
      return;
    }
    let order = { orderId };
    try {
      const quote = instance.quote();
      const coupon = (quote.coupons || []).find((c) => c.applied);
      order = { orderId, value: quote.total, shipping: quote.shipping, tax: quote.tax, discount: quote.discount,
        ...(coupon ? { coupon: coupon.code } : {}) };
    } catch { /* no quote: the core totals the cart */ }
    try {
      instance.purchase(order);
    } catch (error) {
      console.warn('purchase not recorded:', error.message);
      instance.cart.clear();
    }
  }

  function renderCheckout() {
    renderNav(null);
    setTitle('Checkout');
    const form = $('checkout-form');
    const formError = $('form-error');
    const submit = $('place-order');

    const renderSummary = () => {
      const lines = $('summary-lines');
      if (!state.instance) return;
      const cart = state.instance.cart.get();
      lines.replaceChildren(...cart.lines.map((line) => h('li', { class: 'summary-line' },
        h('img', { src: safeImage(line.image), alt: '', width: 52, height: 52 }),
        h('div', {}, h('div', { class: 'summary-line-title' }, line.title), h('div', { class: 'summary-line-qty' }, `Qty ${line.quantity}`)),
        h('div', { class: 'summary-line-total' }, state.instance.formatMoney(line.lineTotal)))));
      $('summary-empty').hidden = cart.lines.length > 0;
      $('summary-subtotal').textContent = state.instance.formatMoney(cart.subtotal);
    };
    pageHooks.ready = renderSummary;
    pageHooks.cartChange = renderSummary;
    pageHooks.unavailable = () => {
      $('summary-empty').textContent = 'We can’t load your cart right now, so orders can’t be placed. Please try again shortly.';
      submit.disabled = true;
    };

    const messages = {
      email: 'Enter an email address like name@example.com',
      'given-name': 'Enter your first name',
      'family-name': 'Enter your last name',
      'address-line1': 'Enter the first line of your address',
      city: 'Enter your town or city',
      postcode: 'Enter a valid postcode',
    };
    const ukPostcode = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i;
    const validateField = (id) => {
      const input = $(id);
      const error = $(`${id}-error`);
      const value = input.value.trim();
      let ok = input.checkValidity() && value !== '';
      if (ok && id === 'postcode' && $('country').value === 'GB') ok = ukPostcode.test(value);
      input.setAttribute('aria-invalid', ok ? 'false' : 'true');
      if (error) {
        error.textContent = ok ? '' : messages[id];
        error.hidden = ok;
        if (ok) input.removeAttribute('aria-describedby'); else input.setAttribute('aria-describedby', error.id);
      }
      return ok;
    };
    for (const id of Object.keys(messages)) {
      $(id).addEventListener('blur', () => { if ($(id).value.trim()) validateField(id); });
    }

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      formError.hidden = true;
      const invalid = Object.keys(messages).filter((id) => !validateField(id));
      if (invalid.length) {
        $(invalid[0]).focus();
        return;
      }
      if (!state.instance) {
        formError.textContent = 'The cart is unavailable right now, so we can’t place your order.';
        formError.hidden = false;
        return;
      }
      if (state.instance.cart.count() === 0) {
        formError.textContent = 'Your cart is empty. Add something you love first.';
        formError.hidden = false;
        return;
      }
      const bytes = new Uint8Array(4);
      crypto.getRandomValues(bytes);
      const number = `HT-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()}`;
      const name = $('given-name').value.trim();
      $('confirmation-title').textContent = `Thank you, ${name}!`;
      $('confirmation-text').textContent =
        `We’ve received your order and will email a confirmation to ${$('email').value.trim()}. ` +
        'This is a demo shop, so nothing will be charged or sent.';
      $('order-number').textContent = number;
      recordPurchase(number);
      $('checkout-layout').hidden = true;
      $('checkout-title').hidden = true;
      $('confirmation').hidden = false;
      setTitle('Order confirmed');
      $('confirmation-title').focus();
    });
  }

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
    // CartKeep may have become ready (or failed) while the catalogue loaded: bring the page up to date.
    if (state.cart === 'ready') { syncAddButtons(); pageHooks.ready(state.instance); }
    else if (state.cart === 'unavailable') { syncAddButtons(); pageHooks.unavailable(); }
  }

  start();
})();
