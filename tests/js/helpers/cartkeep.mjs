// Loads the built ES module from dist/ the way a Node consumer would, with the wasm bytes passed in; with
// CARTKEEP_ENGINE=worker the same API speaks to its engine through the worker protocol instead
// (helpers/worker-engine.mjs), as a browser page does. scripts/run-tests.mjs runs the main suites both ways.
import { readFileSync } from 'node:fs';

const dist = new URL('../../../dist/', import.meta.url);
export const wasmBinary = readFileSync(new URL('cartkeep.wasm', dist));
export const engineMode = process.env.CARTKEEP_ENGINE === 'worker' ? 'worker' : 'in-thread';
export const CartKeep = engineMode === 'worker'
  ? (await import('./worker-engine.mjs')).workerApi(wasmBinary)
  : await import(new URL('cartkeep.mjs', dist).href);

export const sampleCatalog = [
  { id: 'mug', title: 'Enamel Mug', price: 850, category: 'Kitchen', weight: 300, stock: 5 },
  { id: 'lantern', title: 'White Metal Lantern', price: 339, category: 'Lights', weight: 500 },
  { id: 'card', title: 'Greeting Card', price: 42, category: 'Stationery', weight: 20, stock: 0 },
];

export function initStore(options = {}) {
  return CartKeep.init({ currency: 'GBP', locale: 'en-GB', catalog: sampleCatalog, wasmBinary, ...options });
}
