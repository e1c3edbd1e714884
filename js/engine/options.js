// Gathers the merchant's options for the engine: JSON for the core, the catalog as given (the engine reads a
// catalog URL itself, off the page's thread); only JS-only values (functions, bytes, the wasm's URL) stay here.
// The page checks only what it needs to start the engine; the engine checks the rest and answers by path.
import { CartKeepError } from './errors.js';
import { isStorageAdapter } from '../platform/storage.js';
import { fetchJson } from '../platform/fetch-file.js';
import { toJson } from './core-init.js';
import { parsesAsUrl } from './url-options.js';

const JS_ONLY = ['locateFile', 'wasmBinary', 'wasmUrl', 'workerUrl'];

// `data-config` holds inline JSON or the URL of a JSON file.
export async function readScriptConfig(text, baseUrl) {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch (error) {
      throw new CartKeepError('invalid-json', `inline JSON is not valid: ${error.message}`, 'data-config');
    }
  }
  return fetchJson(new URL(trimmed, baseUrl).href, 'config-load-failed', 'data-config');
}

// options.persistence.storage may be an adapter object and .clock a function: both stay in JS, and the core
// hears storage: "custom".
function splitPersistenceOptions(coreOptions, jsOptions) {
  const persistence = coreOptions.persistence;
  if (!persistence || typeof persistence !== 'object' || Array.isArray(persistence)) return;
  const { storage, clock, ...rest } = persistence;
  const copy = { ...rest };
  if (storage !== null && typeof storage === 'object') {
    if (!isStorageAdapter(storage)) {
      throw new CartKeepError('invalid-options',
        'expected "local", "session", "indexeddb", "memory", or an object with get, set and remove functions',
        'options.persistence.storage');
    }
    jsOptions.persistenceStorage = storage;
    copy.storage = 'custom';
  } else if (storage !== undefined) {
    copy.storage = storage;
  }
  if (clock !== undefined) {
    if (typeof clock !== 'function') {
      throw new CartKeepError('invalid-options', 'expected a function returning ms since 1970', 'options.persistence.clock');
    }
    jsOptions.persistenceClock = clock;
  }
  coreOptions.persistence = copy;
}

// The page's own URL check, for the two files the page itself fetches before the engine runs.
const pageUrlOk = (text) => typeof text === 'string' &&
  parsesAsUrl(text, typeof document !== 'undefined' ? document.baseURI : undefined);

export function prepareOptions(input) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new CartKeepError('invalid-options', 'expected an options object', 'options');
  }
  const jsOptions = {};
  const coreOptions = {};
  for (const [key, value] of Object.entries(input)) {
    if (JS_ONLY.includes(key)) jsOptions[key] = value;
    else coreOptions[key] = value;
  }
  if (typeof jsOptions.wasmUrl !== 'undefined' && !pageUrlOk(jsOptions.wasmUrl)) {
    throw new CartKeepError('invalid-options', 'expected a URL (relative to the page)', 'options.wasmUrl');
  }
  if (typeof jsOptions.workerUrl !== 'undefined' && !pageUrlOk(jsOptions.workerUrl)) {
    throw new CartKeepError('invalid-options', 'expected a URL (relative to the page)', 'options.workerUrl');
  }
  if (typeof jsOptions.locateFile !== 'undefined' && typeof jsOptions.locateFile !== 'function') {
    throw new CartKeepError('invalid-options', 'expected a function (file name, script URL) => URL', 'options.locateFile');
  }
  // The URL members are checked where the engine reads the options (url-options.js), not on the page.
  const { catalog } = coreOptions; // its URL is the core's to read and refuse
  splitPersistenceOptions(coreOptions, jsOptions);
  delete coreOptions.catalog;
  if (coreOptions.locale === undefined && typeof document !== 'undefined') {
    const lang = document.documentElement.lang || (typeof navigator !== 'undefined' ? navigator.language : '');
    if (lang) coreOptions.locale = lang;
  }
  // What the engine's init takes (core-init.js): a catalog URL is read against the page's URL.
  const baseUrl = typeof document !== 'undefined' ? document.baseURI : undefined;
  return { init: { optionsJson: toJson(coreOptions), catalog, baseUrl }, jsOptions };
}
