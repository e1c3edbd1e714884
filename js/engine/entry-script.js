// Classic <script> build: defines the global CartKeep and starts from data-config when present.
import { createApi } from './api.js';
import { startInPage } from './in-page-engine.js';

const script = typeof document !== 'undefined' ? document.currentScript : null;
const api = createApi({ scriptUrl: script && script.src ? script.src : undefined, startInThread: startInPage });
const CartKeep = Object.freeze({ init: api.init, ready: api.ready, CartKeepError: api.CartKeepError, version: api.version });
globalThis.CartKeep = CartKeep;
if (script) api.autoInit(script);
