// One Engine inside the wasm module; turns each BoundResult into a value or a thrown CartKeepError.
import { CartKeepError } from './errors.js';
import { initCore } from './core-init.js';
import { fetchBytes } from '../platform/fetch-file.js';
import { storeNow, withStoreNow } from '../quote/store-clock.js';

// JSON text of a value the core will check. A number JSON cannot write (NaN, ±Infinity) and a bigint go as
// their text, so the core refuses them by path instead of reading JSON.stringify's null (or a TypeError);
// undefined goes as null.
export function coreJson(value) {
  return JSON.stringify(value === undefined ? null : value, (key, item) =>
    (typeof item === 'bigint' || (typeof item === 'number' && !Number.isFinite(item)) ? String(item) : item));
}

export class CoreSession {
  // betweenSteps() runs between init's core calls: a turn for the page (next-task.js) when the engine shares
  // the page's thread; nothing in a worker of its own.
  constructor(module, { betweenSteps = () => undefined } = {}) {
    this.module = module;
    this.engine = new module.Engine();
    this.betweenSteps = betweenSteps;
    this.timeZone = ''; // the store's (options.delivery.timeZone), once init has read it
    this.locale = null; // the store's locale, once init has read it
  }

  // False once disposed: features check it before a call they would otherwise have to catch.
  get alive() {
    return Boolean(this.engine);
  }

  // The bound core function `name`, to be called with this engine first.
  bound(name) {
    if (!this.engine) throw new CartKeepError('destroyed', 'this CartKeep instance was destroyed');
    const bound = this.module[name];
    if (typeof bound !== 'function') throw new CartKeepError('invalid-argument', `no core function ${JSON.stringify(String(name))}`, 'method');
    return bound;
  }

  // A core call: its result's value, or its error thrown as a CartKeepError.
  call(name, ...args) {
    return JSON.parse(this.callJson(name, ...args));
  }

  // A core call's value as the core's JSON text, for a value the page may never read (the catalog).
  callJson(name, ...args) {
    const bound = this.bound(name);
    const result = bound(this.engine, ...withStoreNow(name, args, () => storeNow(this.timeZone)));
    if (!result || typeof result.ok !== 'boolean') throw new CartKeepError('invalid-argument', `${name} is not a core call`, 'method');
    if (!result.ok) throw new CartKeepError(result.code, result.message, result.path);
    return result.json;
  }

  // A pointer-path function: plain numbers in and out, no result object (behaviour's observations).
  raw(name, ...args) {
    const value = this.bound(name)(this.engine, ...args);
    if (typeof value !== 'number' && typeof value !== 'boolean') throw new CartKeepError('invalid-argument', `${name} is not a pointer-path call`, 'method');
    return Number(value);
  }

  // One pointer-path function over a frame's samples (calls: [args, ...]), in their order: the largest number
  // it answered (behaviour's: the decisions waiting, 0 when none).
  rawBatch(name, calls) {
    let largest = 0;
    for (const args of calls) largest = Math.max(largest, this.raw(name, ...args));
    return largest;
  }

  // The core set up from the page's options (core-init.js); an unknown time zone fails it (invalid-options).
  async init(request) {
    const initialised = await initCore(this, request, this.betweenSteps);
    const { quote } = initialised.options;
    this.timeZone = (quote && quote.delivery && quote.delivery.timeZone) || '';
    try {
      storeNow(this.timeZone);
    } catch (error) {
      throw new CartKeepError('invalid-options', `unknown IANA time zone ${JSON.stringify(this.timeZone)}: ${error.message}`, 'options.delivery.timeZone');
    }
    this.locale = initialised.options.locale;
    return initialised;
  }

  // The same calls answered as promises, as the worker's session answers them.
  request(name, ...args) {
    return Promise.resolve().then(() => this.call(name, ...args));
  }

  // A core call whose one argument is a file the engine fetches itself: file {url, code, path}, the code and
  // path of the CartKeepError a failed fetch rejects with.
  async requestWithFile(name, { url, code, path }) {
    const bytes = await fetchBytes(url, code, path);
    return this.call(name, bytes);
  }

  rawRequest(name, ...args) {
    return Promise.resolve().then(() => this.raw(name, ...args));
  }

  rawBatchRequest(name, calls) {
    return Promise.resolve().then(() => this.rawBatch(name, calls));
  }

  dispose() {
    if (this.engine) this.engine.delete();
    this.engine = null;
  }
}
