// The merchant's option members that hold a URL the page will navigate to or fetch, parsed by the engine (in its
// worker, or in the thread) before the core reads the options: a bad one (a port beyond 65535, "http://[") is an
// invalid-options error naming it at init, never a throw on a click. The core's own URL rule (core/base/url.hpp)
// checks the rest; the catalog's URLs are the core's alone.
import { CartKeepError } from './errors.js';

const URL_KEY = /(?:^url|Url|^endpoint)$/;
const URL_SECTIONS = new Set(['resumeUrls']);

function parsesAsUrl(text) {
  try {
    new URL(text, 'http://localhost/');
    return true;
  } catch {
    return false;
  }
}

function checkUrls(value, path, inUrlSection = false) {
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (typeof item === 'string') {
      if (item !== '' && (inUrlSection || URL_KEY.test(key)) && !parsesAsUrl(item)) {
        throw new CartKeepError('invalid-options', `expected a URL, got ${JSON.stringify(item.slice(0, 80))}`, at);
      }
    } else {
      checkUrls(item, at, URL_SECTIONS.has(key));
    }
  }
}

// optionsJson: the options' JSON text as the page sends it to `initBegin`. Text that is no JSON object is left
// to the core, which reports it.
export function checkUrlOptions(optionsJson) {
  let options;
  try {
    options = JSON.parse(optionsJson);
  } catch {
    return;
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return;
  const { catalog, strings, ...sections } = options;
  checkUrls(sections, 'options');
}
