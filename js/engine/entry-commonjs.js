// CommonJS build for require('cartkeep') under Node: the .wasm is read from next to this file.
import { createApi } from './api.js';

/* global __filename */
const scriptUrl = typeof __filename === 'string' ? require('url').pathToFileURL(__filename).href : undefined;
const api = createApi({ scriptUrl });

export const { init, ready, CartKeepError, version } = api;
