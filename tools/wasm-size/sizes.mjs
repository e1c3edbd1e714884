// Lists the biggest functions of a wasm built with --profiling-funcs, grouped by a name prefix,
// to see where the bytes of cartkeep.wasm go. Usage: node tools/wasm-size/sizes.mjs file.wasm [top]
import { readFileSync } from 'node:fs';

const bytes = readFileSync(process.argv[2]);
const top = Number(process.argv[3] || 40);
let offset = 8;
const leb = () => {
  let result = 0, shift = 0, byte;
  do { byte = bytes[offset++]; result += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return result;
};
let importedFunctions = 0;
const bodies = [];
const names = new Map();
while (offset < bytes.length) {
  const id = bytes[offset++];
  const size = leb();
  const end = offset + size;
  if (id === 2) { // imports: count functions so code indices line up with names
    for (let n = leb(); n > 0; n -= 1) {
      { const module = leb(); offset += module; } { const field = leb(); offset += field; } // leb() moves offset: read it first
      const kind = bytes[offset++];
      if (kind === 0) { leb(); importedFunctions += 1; } else if (kind === 1) { offset += 1; const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else { offset += 2; }
    }
  } else if (id === 10) {
    for (let n = leb(), i = 0; i < n; i += 1) { const s = leb(); bodies.push(s); offset += s; }
  } else if (id === 0) {
    const nameLength = leb();
    const name = bytes.subarray(offset, offset + nameLength).toString();
    offset += nameLength;
    if (name === 'name') {
      while (offset < end) {
        const sub = bytes[offset++]; const subSize = leb(); const subEnd = offset + subSize;
        if (sub === 1) for (let n = leb(); n > 0; n -= 1) { const index = leb(); const l = leb(); names.set(index, bytes.subarray(offset, offset + l).toString()); offset += l; }
        offset = subEnd;
      }
    }
  }
  offset = end;
}
const rows = bodies.map((size, i) => ({ size, name: names.get(i + importedFunctions) || `f${i}` }));
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
