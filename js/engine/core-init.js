// Sets the core up where the engine runs (its worker, or the thread when there is none): the catalog fetched
// and parsed here when the options name its URL, handed to the core in slices, then the options read part by
// part. The page sends its options and receives the normalised ones, plus the catalog as the core's JSON text,
// which it parses only when something reads the catalog.
import { CartKeepError } from './errors.js';
import { fetchJson } from '../platform/fetch-file.js';
import { checkUrlOptions } from './url-options.js';

// A large catalog goes to the core in slices, each call short, so an engine sharing the page's thread leaves
// the page a turn between them.
const CATALOG_SLICE = 200;

export function toJson(value) {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new CartKeepError('invalid-options', `options are not JSON-serialisable: ${error.message}`, 'options');
  }
}

// The catalog's products: the merchant's array as given, or the file its URL names, read against the page's URL.
async function readCatalog(catalog, baseUrl) {
  if (typeof catalog !== 'string') return catalog;
  const url = baseUrl ? new URL(catalog, baseUrl).href : catalog;
  return fetchJson(url, 'catalog-load-failed', 'options.catalog');
}

// request: {optionsJson: the options without the catalog, as JSON text; catalog: the merchant's value (an
// array, a URL, or anything else, which the core refuses by path); baseUrl: the page's URL, or undefined}.
// betweenSteps() runs between the core's calls: a turn for the page when the engine shares its thread.
// -> {options: the core's normalised options, productsJson: the catalog as the core's JSON text}
export async function initCore(session, { optionsJson, catalog, baseUrl }, betweenSteps) {
  checkUrlOptions(JSON.parse(optionsJson), baseUrl);
  const products = await readCatalog(catalog, baseUrl);
  const slices = [];
  let begin = optionsJson;
  if (Array.isArray(products) && products.length > CATALOG_SLICE) {
    for (let i = 0; i < products.length; i += CATALOG_SLICE) slices.push(toJson(products.slice(i, i + CATALOG_SLICE)));
  } else {
    const text = toJson(products); // undefined (no catalog, a function) leaves it out, as JSON.stringify would
    const rest = optionsJson.slice(1); // the options' other members, after their opening brace
    if (text !== undefined) begin = `{"catalog":${text}${rest === '}' ? '' : ','}${rest}`;
  }
  session.call('initBegin', begin);
  for (const slice of slices) {
    await betweenSteps();
    session.call('initProducts', slice);
  }
  do await betweenSteps(); while (session.call('initStep'));
  const options = session.call('initFinish');
  return { options, productsJson: session.callJson('products') };
}
