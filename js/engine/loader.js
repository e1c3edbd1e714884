// Loads the wasm core once per URL. We instantiate the module ourselves so a missing or blocked
// .wasm turns into one clean CartKeepError('wasm-load-failed') instead of an Emscripten abort.
import createCartKeepCore from '../../build/wasm/cartkeep-core.cjs';
import { CartKeepError } from './errors.js';
import { resolveFileUrl } from './resolve-file.js';

const modules = new Map();

// Under Node, fetch() cannot read file: URLs; read the bytes directly instead.
function readLocalFile(url) {
  const fs = url.startsWith('file:') && globalThis.process?.getBuiltinModule?.('fs');
  return fs ? fs.promises.readFile(new URL(url)) : null;
}

async function compile(url, imports) {
  const local = readLocalFile(url);
  if (local) return WebAssembly.instantiate(await local, imports);
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  const streamable = (response.headers.get('content-type') || '').startsWith('application/wasm');
  if (streamable && WebAssembly.instantiateStreaming) return WebAssembly.instantiateStreaming(response, imports);
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}

// Returns the Emscripten module (cached); `wasmBinary` (bytes) skips the fetch, as Node needs.
export function loadCore({ wasmUrl, locateFile, scriptUrl, wasmBinary } = {}) {
  const url = wasmBinary ? null : resolveFileUrl('cartkeep.wasm', wasmUrl, { locateFile, scriptUrl });
  const key = wasmBinary || url;
  if (modules.has(key)) return modules.get(key);

  const loading = new Promise((resolve, reject) => {
    const fail = (error) =>
      reject(new CartKeepError('wasm-load-failed', `could not load the CartKeep core${url ? ` from ${url}` : ''}: ${error && error.message ? error.message : error}`));
    createCartKeepCore({
      print() {},
      printErr() {},
      onAbort: fail,
      instantiateWasm(imports, receive) {
        const instantiated = wasmBinary ? WebAssembly.instantiate(wasmBinary, imports) : compile(url, imports);
        instantiated.then((result) => receive(result.instance, result.module), fail);
        return {};
      },
    }).then(resolve, fail);
  });
  loading.catch(() => modules.delete(key)); // a later init may retry, e.g. after the network returns
  modules.set(key, loading);
  return loading;
}
