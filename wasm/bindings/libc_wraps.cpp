// Smaller stand-ins for two libc calls, wasm link only (CMakeLists.txt routes them with -Wl,--wrap=...).
// musl's strtod brings its own 128-bit float arithmetic and snprintf its float formatting: about 17 KB of
// code for calls that read a JSON number and print a hex checksum. The native builds keep libc's.
#include <cstdarg>
#include <cstddef>

#include <emscripten/emscripten.h>  // EM_JS (em_js.h alone misses EMSCRIPTEN_KEEPALIVE in 3.1.6)

extern "C" int vsniprintf(char* out, std::size_t size, const char* format, std::va_list args);

// Every snprintf in the module (nlohmann/json's \u escapes and error tokens, the checksums' %08x) formats
// integers only: musl's integer-only printf does the same without pulling in its float formatting.
extern "C" int __wrap_snprintf(char* out, std::size_t size, const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  const int written = vsniprintf(out, size, format, args);
  va_end(args);
  return written;
}

// JavaScript's Number() rounds decimal text to the nearest double, as strtod does.
EM_JS(double, cartkeep_number_from_text, (const char* text, int length), {
  return Number(UTF8ToString(text, length));
});

namespace {

const char* skipDigits(const char* p) {
  while (*p >= '0' && *p <= '9') ++p;
  return p;
}

}  // namespace

// The callers (nlohmann/json's lexer, minorToDecimal) pass decimal text in JSON's number form: this reads
// that form (sign, digits, fraction, exponent) and leaves hex floats, "inf" and leading spaces unread.
extern "C" double __wrap_strtod(const char* text, char** end) {
  const char* p = text;
  if (*p == '-' || *p == '+') ++p;
  const char* const integer = p;
  p = skipDigits(p);
  bool hasDigits = p != integer;
  if (*p == '.') {
    const char* const fraction = p + 1;
    const char* const fractionEnd = skipDigits(fraction);
    if (hasDigits || fractionEnd != fraction) {
      hasDigits = true;
      p = fractionEnd;
    }
  }
  if (!hasDigits) {
    if (end) *end = const_cast<char*>(text);
    return 0;
  }
  if (*p == 'e' || *p == 'E') {
    const char* exponent = p + 1;
    if (*exponent == '-' || *exponent == '+') ++exponent;
    const char* const exponentEnd = skipDigits(exponent);
    if (exponentEnd != exponent) p = exponentEnd;
  }
  if (end) *end = const_cast<char*>(p);
  return cartkeep_number_from_text(text, static_cast<int>(p - text));
}
