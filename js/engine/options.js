// Gathers the merchant's options for the engine: JSON for the core, the catalog as given (the engine reads a
// catalog URL itself, off the page's thread); only JS-only values (functions, bytes, the wasm's URL) stay here.
import { CartKeepError } from './errors.js';
import { isStorageAdapter } from '../platform/storage.js';
import { fetchJson } from '../platform/fetch-file.js';
import { toJson } from './core-init.js';

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

// Option members that hold a URL the page will navigate to or fetch: every one is parsed here, at init, so a
// bad one (a port beyond 65535, "http://[") is an invalid-options error naming it, never a throw on a click.
const URL_KEY = /(?:^url|Url|^endpoint)$/;
const URL_SECTIONS = new Set(['resumeUrls']);

function checkUrlOptions(value, path, inUrlSection = false) {
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (typeof item === 'string') {
      if (item !== '' && (inUrlSection || URL_KEY.test(key)) && !parsesAsUrl(item)) {
        throw new CartKeepError('invalid-options', `expected a URL, got ${JSON.stringify(item.slice(0, 80))}`, at);
      }
    } else {
      checkUrlOptions(item, at, URL_SECTIONS.has(key));
    }
  }
}

function parsesAsUrl(text) {
  try {
    new URL(text, typeof document !== 'undefined' ? document.baseURI : 'http://localhost/');
    return true;
  } catch {
    return false;
  }
}

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
  if (typeof jsOptions.wasmUrl !== 'undefined' && (typeof jsOptions.wasmUrl !== 'string' || !parsesAsUrl(jsOptions.wasmUrl))) {
    throw new CartKeepError('invalid-options', 'expected a URL (relative to the page)', 'options.wasmUrl');
  }
  if (typeof jsOptions.workerUrl !== 'undefined' && (typeof jsOptions.workerUrl !== 'string' || !parsesAsUrl(jsOptions.workerUrl))) {
    throw new CartKeepError('invalid-options', 'expected a URL (relative to the page)', 'options.workerUrl');
  }
  if (typeof jsOptions.locateFile !== 'undefined' && typeof jsOptions.locateFile !== 'function') {
    throw new CartKeepError('invalid-options', 'expected a function (file name, script URL) => URL', 'options.locateFile');
  }
  const { catalog, strings: text, ...sections } = coreOptions;  // catalog urls: the core's own rule
  checkUrlOptions(sections, 'options');
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
