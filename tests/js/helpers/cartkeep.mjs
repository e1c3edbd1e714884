// Loads the built ES module from dist/ the way a Node consumer would, with the wasm bytes passed in.
import { readFileSync } from 'node:fs';

const dist = new URL('../../../dist/', import.meta.url);
export const wasmBinary = readFileSync(new URL('cartkeep.wasm', dist));
export const CartKeep = await import(new URL('cartkeep.mjs', dist).href);

export const sampleCatalog = [
  { id: 'mug', title: 'Enamel Mug', price: 850, category: 'Kitchen', weight: 300, stock: 5 },
  { id: 'lantern', title: 'White Metal Lantern', price: 339, category: 'Lights', weight: 500 },
  { id: 'card', title: 'Greeting Card', price: 42, category: 'Stationery', weight: 20, stock: 0 },
];

export function initStore(options = {}) {
  return CartKeep.init({ currency: 'GBP', locale: 'en-GB', catalog: sampleCatalog, wasmBinary, ...options });
}
