// The code size of every function of a wasm module, named from its "name" section (a --profiling-funcs link).
export function readFunctionSizes(bytes) {
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
  // Names escape characters as \xx (hex): "\28" is "(".
  const unescape = (name) => name.replace(/\\([0-9a-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  return bodies.map((size, i) => ({ size, name: unescape(names.get(i + importedFunctions) || `f${i}`) }));
}
