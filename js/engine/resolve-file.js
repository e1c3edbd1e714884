// The URL of one of CartKeep's files (cartkeep.wasm, cartkeep.worker.js): locateFile(name, scriptUrl), else
// the option naming it, else the file next to the script.
export function resolveFileUrl(name, explicitUrl, { locateFile, scriptUrl }) {
  if (typeof locateFile === 'function') return String(locateFile(name, scriptUrl || ''));
  const base = scriptUrl || (typeof document !== 'undefined' ? document.baseURI : undefined);
  if (explicitUrl) return base ? new URL(explicitUrl, base).href : String(explicitUrl);
  return base ? new URL(name, base).href : name;
}
