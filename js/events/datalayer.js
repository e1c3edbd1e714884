// Pushes onto the page's tag-manager array (window.dataLayer by default). The core has already built each
// object (GA4 ecommerce names and shapes) and gated it by consent; this only appends.
export function pushDataLayer(name, pushes) {
  if (!name || !pushes || !pushes.length) return;
  const scope = globalThis;
  if (!Array.isArray(scope[name]) && (typeof scope[name] !== 'object' || scope[name] === null || typeof scope[name].push !== 'function')) {
    scope[name] = [];
  }
  for (const item of pushes) scope[name].push(item);
}
