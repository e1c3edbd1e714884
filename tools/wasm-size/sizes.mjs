// Lists the biggest functions of a wasm built with --profiling-funcs, grouped by a name prefix,
// to see where the bytes of cartkeep.wasm go. Usage: node tools/wasm-size/sizes.mjs file.wasm [top]
import { readFileSync } from 'node:fs';
import { readFunctionSizes } from './functions.mjs';

const rows = readFunctionSizes(readFileSync(process.argv[2]));
const top = Number(process.argv[3] || 40);
const total = rows.reduce((s, r) => s + r.size, 0);
console.log(`code: ${total} B in ${rows.length} functions`);
const groups = new Map();
for (const r of rows) {
  const key = /nlohmann/.test(r.name) ? 'nlohmann::json' : /embind|emscripten::/.test(r.name) ? 'embind'
    : (r.name.match(/cartkeep::(?:[a-z_]+::)?([A-Za-z_]+)/) || [])[1] ? `cartkeep::${r.name.match(/cartkeep::(?:[a-z_]+::)?([A-Za-z_]+)/)[1]}`
      : /std::/.test(r.name) ? 'std' : 'other';
  groups.set(key, (groups.get(key) || 0) + r.size);
}
for (const [k, v] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${String(v).padStart(8)}  ${k}`);
console.log('--- largest functions');
for (const r of rows.sort((a, b) => b.size - a.size).slice(0, top)) console.log(`${String(r.size).padStart(7)}  ${r.name.slice(0, 150)}`);
