// The public entry points shared by the script-tag and the ES module builds.
import { CartKeepError, asCartKeepError } from './errors.js';
import { CartKeepInstance } from './instance.js';
import { resolveFileUrl } from './resolve-file.js';
import { WorkerSession } from './worker-session.js';
import { afterFirstPaint } from '../platform/first-paint.js';
import { nextTask } from '../platform/next-task.js';
import { prepareOptions, readScriptConfig } from './options.js';
import { releaseReservedSpace } from '../platform/layout-memory.js';
import { defineWidgets } from './widgets.js';
import { markCartPresenceEarly } from '../store/cart-presence.js';

/* global __CARTKEEP_VERSION__ */
export const version = __CARTKEEP_VERSION__; // set by scripts/bundle.mjs from package.json

function dispatchDocumentError(error) {
  if (typeof document === 'undefined') return;
  document.dispatchEvent(new CustomEvent('cartkeep:error', { detail: error.toJSON() }));
}

// In a browser the engine runs in a Web Worker (dist/cartkeep.worker.js, next to this script unless
// workerUrl or locateFile say otherwise); in Node, where Worker is missing, or with wasmBinary, in this thread.
function runsInWorker(options) {
  return typeof Worker === 'function' && typeof document !== 'undefined' && !(options && options.wasmBinary);
}

// startInThread({workerUrl, wasmUrl, wasmBinary, locateFile, scriptUrl, onFault}) -> Promise<session>: the engine
// where there is no worker (in-thread-engine.js for Node and the ES module, in-page-engine.js for the script tag).
export function createApi({ scriptUrl, startInThread } = {}) {
  let settle;
  const ready = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  ready.catch(() => {}); // a failed auto-init is reported as cartkeep:error; no unhandled rejection noise
  let readySettled = false;
  const settleReady = (outcome, value) => {
    if (readySettled) return;
    readySettled = true;
    settle[outcome](value);
  };

  // The engine's session, started before the options are fully read: a promise, or null when the options are
  // not usable yet (prepareOptions then reports why).
  function startSession(options, onFault) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) return null;
    const { locateFile, wasmBinary, wasmUrl, workerUrl } = options;
    if (locateFile !== undefined && typeof locateFile !== 'function') return null;
    if (wasmUrl !== undefined && typeof wasmUrl !== 'string') return null;
    if (workerUrl !== undefined && typeof workerUrl !== 'string') return null;
    let starting;
    try {
      const files = {
        workerUrl: resolveFileUrl('cartkeep.worker.js', workerUrl, { locateFile, scriptUrl }),
        wasmUrl: resolveFileUrl('cartkeep.wasm', wasmUrl, { locateFile, scriptUrl }),
      };
      starting = runsInWorker(options)
        ? WorkerSession.start({ ...files, onFault })
        : startInThread({ ...files, locateFile, wasmBinary, scriptUrl, onFault });
    } catch {
      return null; // a URL that is no URL: prepareOptions reports it with its path
    }
    starting.catch(() => {}); // awaited below once the options are ready; a failure is reported there
    return starting;
  }

  async function init(options) {
    let session = null;
    let starting = null;
    let instance = null;
    // A worker's later faults (a dropped message, its death and restart) reach the page as `error` events.
    const onFault = (error, context) => { if (instance) instance.reportError(error, { source: 'engine', ...context }); };
    try {
      // Widgets are defined at once so they hold their place on the page while the engine loads; the engine
      // itself starts once the shop has painted.
      defineWidgets();
      markCartPresenceEarly();
      await afterFirstPaint();
      // The engine starts (worker, wasm download and compile) while the options are read.
      starting = startSession(options, onFault);
      const { init: request, jsOptions } = prepareOptions(options);
      session = await (starting || startSession(jsOptions, onFault));
      await nextTask();
      // The engine reads the catalog (fetching it when the options name a URL) and the options, in steps.
      const { options: normalised, productsJson } = await session.init(request);
      await nextTask();
      instance = await CartKeepInstance.create(session, normalised, jsOptions, productsJson);
      if (instance.persistence) await instance.persistence.start(); // the saved cart is in place first; never rejects
      // A worker that dies from now on is replaced once, and the new engine takes the saved cart.
      if (typeof session.allowRestart === 'function') session.allowRestart((call) => instance.engineRestarted(call));
      await instance.showWidgets();
      settleReady('resolve', instance);
      instance.events.emit('ready', { version, options: normalised });
      return instance;
    } catch (error) {
      if (session) session.dispose();
      else if (starting) starting.then((started) => started.dispose(), () => {});
      releaseReservedSpace(); // no engine: the page closes the space the widgets held
      const failure = asCartKeepError(error);
      dispatchDocumentError(failure);
      throw failure;
    }
  }

  // <script src="cartkeep.js" data-config="…"> starts CartKeep without any page code. The config is fetched from a
  // microtask, not from the script's top level: with DevTools attached (Lighthouse, PageSpeed, a merchant
  // debugging) Chromium records each request's initiator stack, and for a request made from the top level that
  // means collecting source positions for the whole bundle, about 35 ms in the script's task (measured under
  // Playwright, which attaches the same way) against 1-3 ms from a microtask.
  function autoInit(script) {
    const config = script && script.getAttribute('data-config');
    if (config === null || config === undefined) return;
    defineWidgets(); // now, while the configuration loads: the widgets hold their place from the first frame
    markCartPresenceEarly(); // and the theme can lay out an empty cart from it too
    const baseUrl = document.baseURI;
    Promise.resolve()
      .then(() => readScriptConfig(config, baseUrl))
      .then(init, (error) => {
        const failure = asCartKeepError(error);
        dispatchDocumentError(failure); // init reports its own failures; this covers data-config itself
        throw failure;
      })
      .catch((error) => settleReady('reject', asCartKeepError(error)));
  }

  return { init, ready, autoInit, CartKeepError, version };
}
