// The code of a --profiling-funcs link of cartkeep.wasm grouped by origin: CartKeep's own functions by the
// feature folder that defines them (core/<feature>/, wasm/bindings), nlohmann/json by part, libc++ by container,
// libc by facility, Embind. Usage: node tools/wasm-size/origins.mjs file.wasm
import { readFileSync, readdirSync } from 'node:fs';
import { readFunctionSizes } from './functions.mjs';

const root = new URL('../../', import.meta.url);
const rows = readFunctionSizes(readFileSync(process.argv[2]));

// Which folder defines a name: every "Name(" and "Owner::Name(" in the sources, and every struct or class.
const definitions = new Map();
const note = (key, folder, weight) => {
  const counts = definitions.get(key) || new Map();
  counts.set(folder, (counts.get(folder) || 0) + weight);
  definitions.set(key, counts);
};
const sourceFolders = [
  ...readdirSync(new URL('core/', root)).map((feature) => [`core/${feature}/`, feature]),
  ['include/cartkeep/', 'engine'],
  ['wasm/bindings/', 'bindings'],
];
for (const [dir, folder] of sourceFolders) {
  for (const file of readdirSync(new URL(dir, root)).filter((f) => /\.(cpp|hpp)$/.test(f))) {
    const text = readFileSync(new URL(dir + file, root), 'utf8');
    for (const m of text.matchAll(/(?:(\w+)::)?(~?\w+)\s*\(/g)) { note(`${m[1]}::${m[2]}`, folder, 1); note(`::${m[2]}`, folder, 1); }
    for (const m of text.matchAll(/\b(?:struct|class)\s+(\w+)/g)) note(`type ${m[1]}`, folder, 5);
  }
}
const mostCommon = (counts) => [...counts].sort((a, b) => b[1] - a[1])[0][0];
const withoutTemplates = (text) => {
  let out = '', depth = 0;
  for (const c of text) { if (c === '<') depth += 1; else if (c === '>') depth -= 1; else if (depth === 0) out += c; }
  return out;
};

function origin(fullName) {
  const name = fullName.replaceAll('(anonymous namespace)::', '');
  const head = withoutTemplates(name.split('(')[0]).split(' ').pop();
  if (head.startsWith('cartkeep::')) {
    const parts = head.split('::').slice(1);
    if (parts[0] === 'bindings') return 'CartKeep: bindings';
    const [owner, fn] = parts.length >= 2 ? parts.slice(-2) : [undefined, parts[0]];
    for (const key of [`${owner}::${fn}`, `type ${owner}`, `::${fn}`]) {
      if (definitions.has(key)) return `CartKeep: ${mostCommon(definitions.get(key))}`;
    }
    return 'CartKeep: (unplaced)';
  }
  if (/nlohmann/.test(head)) {
    if (/::lexer/.test(head)) return 'nlohmann/json: lexer';
    if (/::parser/.test(head)) return 'nlohmann/json: parser';
    if (/::serializer|dtoa_impl/.test(head)) return 'nlohmann/json: serializer (dump, grisu2)';
    return 'nlohmann/json: basic_json members and conversions';
  }
  if (/emscripten|embind/.test(name)) return 'Embind';
  if (/^std::|^__cxxabiv1|std::__2/.test(head)) {
    if (/__cxxabiv1|operator (new|delete)/.test(name)) return 'libc++abi (new, type info)';
    if (/__tree/.test(head)) return 'libc++: std::map/set trees (json objects among them)';
    if (/__hash|unordered|__next_prime/.test(head)) return 'libc++: hash tables';
    if (/deque/.test(head)) return 'libc++: deque';
    if (/vector/.test(head)) return 'libc++: vector';
    if (/basic_string|to_string/.test(head)) return 'libc++: string, to_string';
    if (/__(sort|insertion|nth|partial|stable|merge|buffered|inplace|lower|upper|partition|floyd|sift|heap|rotate|copy|unique|find)/.test(head)) return 'libc++: algorithms';
    return 'libc++: other';
  }
  if (/printf|fmt_|pop_arg|sn_write|__fwritex|^pad$|wcrtomb|wctomb|^out$|getint|__towrite/.test(name)) return 'libc: integer printf (vsniprintf)';
  if (/malloc|alloc|free|claim_more|sbrk/.test(name)) return 'libc: emmalloc';
  if (/^(erf|log|exp|round|llround|pow|sqrt|scalbn|frexp|specialcase|fmod|floor|ceil|trunc|__math)/.test(name)) return 'libc: math (erfc, log, exp, round)';
  if (/ti3$|ti4$/.test(name)) return 'compiler runtime: 128-bit integers';
  if (/__wrap_/.test(name)) return 'CartKeep: bindings';
  if (/global_var_init|wasm_call_ctors|getTypeName/.test(name)) return 'static constructors (Embind registration)';
  return 'libc: other (memcpy, strlen, ctype, ...)';
}

const groups = new Map();
for (const { size, name } of rows) {
  const key = origin(name);
  const g = groups.get(key) || { size: 0, count: 0 };
  g.size += size;
  g.count += 1;
  groups.set(key, g);
}
const total = rows.reduce((s, r) => s + r.size, 0);
console.log(`code: ${total} B in ${rows.length} functions`);
for (const [key, g] of [...groups].sort((a, b) => b[1].size - a[1].size)) {
  console.log(`${String(g.size).padStart(8)} B ${String(g.count).padStart(5)} fn ${(100 * g.size / total).toFixed(1).padStart(5)}%  ${key}`);
}
