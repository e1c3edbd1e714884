// What the merchant's markup says about the page: the page type (data-cartkeep-page) and the product on
// screen (data-cartkeep-product). One precedence everywhere: <body> before <html>, since the more specific
// element wins (a template may set a site-wide default on <html> and override it per page on <body>).
function pageAttribute(name) {
  if (typeof document === 'undefined') return '';
  for (const element of [document.body, document.documentElement]) {
    const value = element && element.getAttribute(name);
    if (value) return value;
  }
  return '';
}

// A page without a declared type that holds checkout steps the merchant marked is a checkout page.
export function declaredPageType() {
  const declared = pageAttribute('data-cartkeep-page');
  if (declared || typeof document === 'undefined') return declared;
  return document.querySelector('[data-cartkeep-checkout-step]') ? 'checkout' : '';
}

// The product id from the markup, else from the URL parameter options.pages.productParam names.
export function declaredProduct(options) {
  const marked = pageAttribute('data-cartkeep-product');
  if (marked || !options || !options.pages || !options.pages.productParam || typeof location === 'undefined') return marked;
  return new URLSearchParams(location.search).get(options.pages.productParam) || '';
}

// The checkout step the whole page is: data-cartkeep-checkout-step on <body> or <html> (the attribute the
// event stream reads on any element), else data-cartkeep-step on any element, its documented alias.
export function declaredCheckoutStep() {
  const page = pageAttribute('data-cartkeep-checkout-step');
  if (page || typeof document === 'undefined') return page || null;
  const marked = document.querySelector('[data-cartkeep-step]');
  return marked ? marked.getAttribute('data-cartkeep-step') || '' : null;
}
