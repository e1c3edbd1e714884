// ES module build: import { init } from 'cartkeep'. The .wasm is looked up next to this file.
import { createApi } from './api.js';
import { startInThread } from './in-thread-engine.js';

const api = createApi({ scriptUrl: import.meta.url, startInThread });

export const { init, ready, CartKeepError, version } = api;
export default Object.freeze({ init, ready, CartKeepError, version });
