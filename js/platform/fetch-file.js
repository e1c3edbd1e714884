// One same-origin fetch for the files CartKeep reads (config, catalog, suggestion index): the response, or a
// CartKeepError with the caller's code and path when the request fails or answers an HTTP error.
import { CartKeepError } from '../engine/errors.js';

export async function fetchFile(url, code, path) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (error) {
    throw new CartKeepError(code, `could not fetch ${url}: ${error.message}`, path);
  }
  if (!response.ok) throw new CartKeepError(code, `HTTP ${response.status} for ${url}`, path);
  return response;
}

// A file's bytes (the suggestion index), read where the engine runs so they never cross from the page.
export async function fetchBytes(url, code, path) {
  const response = await fetchFile(url, code, path);
  return new Uint8Array(await response.arrayBuffer());
}

// A JSON file's value; a body that is not JSON is invalid-json at the same path.
export async function fetchJson(url, code, path) {
  const text = await (await fetchFile(url, code, path)).text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CartKeepError('invalid-json', `${url} is not valid JSON: ${error.message}`, path);
  }
}
