// CommonJS build for require('cartkeep') under Node: the .wasm is read from next to this file.
import { createApi } from './api.js';
import { startInThread } from './in-thread-engine.js';

/* global __filename */
const scriptUrl = typeof __filename === 'string' ? require('url').pathToFileURL(__filename).href : undefined;
const api = createApi({ scriptUrl, startInThread });

export const { init, ready, CartKeepError, version } = api;
