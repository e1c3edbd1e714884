// The store's local minute ("2024-12-02T13:35" in options.delivery.timeZone), from which the core does all its
// calendar arithmetic. It is filled into the core's calls where the engine runs (its worker), so the page never
// makes a time-zone formatter, whose first use loads ICU's zone data (tens of ms); the page makes one only when
// the shop reads instance.quote.now().
import { cachedFormatter } from '../platform/format.js';

function zoneFormatter(timeZone) {
  return cachedFormatter(`now|${timeZone}`, () => new Intl.DateTimeFormat('en-US', {
    timeZone: timeZone || undefined, numberingSystem: 'latn', hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }));
}

// Throws a RangeError for a time zone this runtime does not know ('' is the runtime's own zone); the engine
// checks the store's at init (core-session.js).
export function storeNow(timeZone, date = new Date()) {
  const parts = Object.fromEntries(zoneFormatter(timeZone || '').formatToParts(date).map((p) => [p.type, p.value]));
  const hour = parts.hour === '24' ? '00' : parts.hour;
  return `${parts.year}-${parts.month}-${parts.day}T${hour}:${parts.minute}`;
}

// Where each call that needs the store's minute carries it: [argument index, member]. The page leaves the
// member out; one it gives (a shop's own quote `now`) is kept.
const CLOCKED = new Map([
  ['cartAction', [0, 'storeNow']],
  ['quote', [0, 'now']],
  ['viewRegister', [2, 'storeNow']],
  ['viewsRefresh', [0, 'storeNow']],
]);

// The call's arguments (JSON texts) with the store's minute, now(), filled in. The member goes in front of the
// object's text rather than the object being parsed and written again, so every other value reaches the core
// exactly as the page wrote it (an integer beyond 2^53 included).
export function withStoreNow(name, args, now) {
  const clocked = CLOCKED.get(name);
  const text = clocked && args[clocked[0]];
  if (typeof text !== 'string' || text[0] !== '{') return args;
  const [index, member] = clocked;
  let request;
  try {
    request = JSON.parse(text);
  } catch {
    return args; // the core reports it by path
  }
  if (Object.hasOwn(request, member)) return args;
  const out = [...args];
  out[index] = `{${JSON.stringify(member)}:${JSON.stringify(now())}${text === '{}' ? '' : ','}${text.slice(1)}`;
  return out;
}
