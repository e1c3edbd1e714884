// Types for CartKeep's public API (dist/cartkeep.mjs, and the global CartKeep of dist/cartkeep.js).

export type MinorUnits = number;

export interface Product {
  id: string;
  title: string;
  /** Price in integer minor units of the store currency (pence for GBP). */
  price: MinorUnits;
  currency: string;
  category: string;
  tags: string[];
  brand: string;
  /** Grams; 0 when unknown. */
  weight: number;
  /** Units in stock; null when stock is not tracked. */
  stock: number | null;
  image: string;
  url: string;
}

export interface CartLine {
  productId: string;
  title: string;
  quantity: number;
  unitPrice: MinorUnits;
  lineTotal: MinorUnits;
  image: string;
  url: string;
  stock: number | null;
}

export interface CartSnapshot {
  /** Increases with every change. */
  revision: number;
  /** Units over all lines. */
  count: number;
  currency: string;
  subtotal: MinorUnits;
  lines: CartLine[];
}

export interface Options {
  /** ISO 4217 code of the store currency, e.g. "GBP". */
  currency: string;
  /** The products, or the URL of a JSON file holding them. */
  catalog: Array<Partial<Product> & { id: string; title: string; price: MinorUnits }> | string;
  /** BCP 47 tag; defaults to <html lang>, then the browser's language. */
  locale?: string;
  /** "auto" (from the locale), "ltr" or "rtl". */
  direction?: 'auto' | 'ltr' | 'rtl';
  cart?: { maxQuantityPerLine?: number; maxLines?: number };
  /** Overrides for any user-visible text, by key (see README). */
  strings?: Record<string, string>;
  debug?: boolean;
  /** URL of cartkeep.wasm, relative to the script; default: next to the script. */
  wasmUrl?: string;
  /** Returns the URL of a file the loader needs (only 'cartkeep.wasm'). */
  locateFile?: (file: string, scriptUrl: string) => string;
  /** The wasm bytes, for Node or when the merchant ships them otherwise. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  [feature: string]: unknown;
}

export interface NormalisedOptions {
  currency: string;
  currencyExponent: number;
  locale: string;
  direction: 'ltr' | 'rtl';
  cart: { maxQuantityPerLine: number; maxLines: number };
  strings: Record<string, string>;
  debug: boolean;
  [feature: string]: unknown;
}

export declare class CartKeepError extends Error {
  readonly name: 'CartKeepError';
  /** Stable id: 'invalid-options', 'invalid-catalog', 'invalid-json', 'wasm-load-failed', 'unknown-product', ... */
  readonly code: string;
  /** Where the bad input is, e.g. 'catalog[12].price'; '' when not about input. */
  readonly path: string;
  /** The reason without the path. */
  readonly reason: string;
}

export interface CartChangeDetail {
  action: 'add' | 'set-quantity' | 'remove' | 'clear' | string;
  productId: string | null;
  cart: CartSnapshot;
}

export interface ErrorDetail {
  code: string;
  path: string;
  message: string;
  [context: string]: unknown;
}

export interface EventMap {
  ready: { version: string; options: NormalisedOptions };
  'cart-change': CartChangeDetail;
  error: ErrorDetail;
  destroy: Record<string, never>;
  [name: string]: unknown;
}

export interface CatalogApi {
  get(id: string): Product | null;
  products(): Product[];
}

export interface CartApi {
  add(productId: string, quantity?: number): CartSnapshot;
  setQuantity(productId: string, quantity: number): CartSnapshot;
  remove(productId: string): CartSnapshot;
  clear(): CartSnapshot;
  get(): CartSnapshot;
  lines(): CartLine[];
  count(): number;
  subtotal(): MinorUnits;
}

export interface CartKeepInstance {
  readonly options: NormalisedOptions;
  readonly catalog: CatalogApi;
  readonly cart: CartApi;
  on<K extends keyof EventMap>(name: K, listener: (detail: EventMap[K]) => void): () => void;
  off<K extends keyof EventMap>(name: K, listener: (detail: EventMap[K]) => void): void;
  formatMoney(minor: MinorUnits): string;
  destroy(): void;
}

export declare function init(options: Options): Promise<CartKeepInstance>;
/** Resolves with the first instance (auto-initialised from data-config, or the first init()). */
export declare const ready: Promise<CartKeepInstance>;
export declare const version: string;

declare const CartKeep: {
  init: typeof init;
  ready: typeof ready;
  CartKeepError: typeof CartKeepError;
  version: string;
};
export default CartKeep;

declare global {
  interface Window {
    CartKeep: typeof CartKeep;
  }
}
