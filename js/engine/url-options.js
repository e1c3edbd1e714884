// Option members that hold a URL the page will navigate to or fetch: every one is parsed at init, where the
// engine reads the options (its worker, off the page's thread), so a bad one (a port beyond 65535, "http://[")
// is an invalid-options error naming it, never a throw on a click.
import { CartKeepError } from './errors.js';

const URL_KEY = /(?:^url|Url|^endpoint)$/;
const URL_SECTIONS = new Set(['resumeUrls']);

// True when `text` is a URL, absolute or relative to `baseUrl` (the page's URL; a stand-in where there is none).
export function parsesAsUrl(text, baseUrl = 'http://localhost/') {
  try {
    new URL(text, baseUrl);
    return true;
  } catch {
    return false;
  }
}

// options: the merchant's options as the engine receives them (no catalog); their texts (`strings`) hold no URL.
export function checkUrlOptions(options, baseUrl) {
  if (options === null || typeof options !== 'object') return;
  const { strings, ...sections } = options;
  checkMembers(sections, 'options', false, baseUrl);
}

function checkMembers(value, path, inUrlSection, baseUrl) {
  if (value === null || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (typeof item === 'string') {
      if (item !== '' && (inUrlSection || URL_KEY.test(key)) && !parsesAsUrl(item, baseUrl)) {
        throw new CartKeepError('invalid-options', `expected a URL, got ${JSON.stringify(item.slice(0, 80))}`, at);
      }
    } else {
      checkMembers(item, at, URL_SECTIONS.has(key), baseUrl);
    }
  }
}
