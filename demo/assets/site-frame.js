// The shop's header (skip link, announcement, brand, search, cart link, category navigation) and footer, kept
// in one place for every page. Each page includes this script where the part goes:
//   <script src="assets/site-frame.js" data-part="header"></script>   (and data-part="footer")
// It runs synchronously while the page is parsed and puts the part in place of its own <script>, so the part is
// there before anything after it is laid out (no layout shift) and never waits for CartKeep. Built with DOM
// APIs only; the category list is filled in by the shop's script once the catalogue has loaded.
(() => {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';

  function h(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  // An inline icon: <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"> with its shapes.
  function icon(size, shapes) {
    const svg = document.createElementNS(SVG, 'svg');
    for (const [name, value] of Object.entries({ viewBox: '0 0 24 24', width: size, height: size, 'aria-hidden': 'true', focusable: 'false' })) {
      svg.setAttribute(name, String(value));
    }
    for (const [tag, attributes] of shapes) {
      const shape = document.createElementNS(SVG, tag);
      for (const [name, value] of Object.entries(attributes)) shape.setAttribute(name, String(value));
      svg.append(shape);
    }
    return svg;
  }

  // The language switch (lang.js, loaded in <head>), when the page has it.
  function languageSwitch() {
    const frame = window.hearthAndTwine;
    return frame && typeof frame.languageSwitch === 'function' ? [frame.languageSwitch()] : [];
  }

  function header() {
    const searchIcon = icon(20, [
      ['circle', { cx: 10.5, cy: 10.5, r: 6.5, fill: 'none', stroke: 'currentColor', 'stroke-width': 2 }],
      ['path', { d: 'M15.5 15.5 21 21', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round' }],
    ]);
    const cartIcon = icon(24, [
      ['path', { d: 'M3 4h2.2l2.1 10.2a2 2 0 0 0 2 1.6h7.6a2 2 0 0 0 2-1.5L20.5 8H6.1', fill: 'none', stroke: 'currentColor',
        'stroke-width': 1.8, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }],
      ['circle', { cx: 10, cy: 19.5, r: 1.5, fill: 'currentColor' }],
      ['circle', { cx: 17, cy: 19.5, r: 1.5, fill: 'currentColor' }],
    ]);
    return [
      h('a', { class: 'skip-link', href: '#main' }, 'Skip to content'),
      h('p', { class: 'announcement' }, 'Free UK delivery on orders over £40 · Wrapped by hand in our London workshop'),
      h('header', { class: 'site-header' },
        h('div', { class: 'container header-inner' },
          h('a', { class: 'brand', href: 'index.html' },
            h('img', { class: 'brand-mark', src: 'assets/logo.svg', alt: '', width: '44', height: '44' }),
            h('span', { class: 'brand-text' },
              h('span', { class: 'brand-name' }, 'Hearth & Twine'), h('span', { class: 'brand-tagline' }, 'gifts from London'))),
          h('form', { class: 'search', action: 'index.html', method: 'get', role: 'search' },
            h('label', { class: 'visually-hidden', for: 'site-search' }, 'Search the shop'),
            h('input', { id: 'site-search', name: 'q', type: 'search', placeholder: 'Search lanterns, lunch bags, bunting…',
              autocomplete: 'off', maxlength: '80' }),
            h('button', { type: 'submit', class: 'search-button', 'aria-label': 'Search' }, searchIcon)),
          h('a', { class: 'cart-link', href: 'cart.html' },
            cartIcon, h('span', { class: 'cart-label' }, 'Cart'), document.createElement('cartkeep-cart-count')),
          ...languageSwitch()),
        h('nav', { class: 'category-nav', 'aria-label': 'Categories' },
          h('ul', { class: 'container category-list', id: 'category-nav' },
            h('li', {}, h('a', { href: 'index.html' }, 'All gifts'))))),
    ];
  }

  function footer() {
    const link = (href, text) => h('li', {}, h('a', { href }, text));
    return [
      h('footer', { class: 'site-footer' },
        h('div', { class: 'container footer-inner' },
          h('div', {},
            h('p', { class: 'footer-brand' }, 'Hearth & Twine'),
            h('p', {}, 'Small, cheerful things for the home, the kitchen and the people you love. Packed in London since 2010.')),
          h('div', {},
            h('p', { class: 'footer-heading' }, 'Help'),
            h('ul', { class: 'footer-links' },
              link('cart.html', 'Your cart'), link('checkout.html', 'Checkout'), link('index.html', 'All gifts'),
              link('merchant.html', 'For the merchant: measurements'))),
          h('div', {},
            h('p', { class: 'footer-heading' }, 'About this demo'),
            h('p', {}, 'A demo shop for CartKeep. Product names and prices come from the UCI Online Retail dataset (CC0); ' +
              'no orders are placed and no payment is taken.')))),
    ];
  }

  const script = document.currentScript;
  const parts = { header, footer };
  const part = script && parts[script.dataset.part];
  if (part) script.replaceWith(...part());
})();
