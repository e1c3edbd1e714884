// Catalog::appendText: products read straight from the JSON text when they are written the usual way.
// The reader only ever says "these are the products" or "not sure"; it never reports an error itself. Whatever it
// is not sure of (an error, a duplicate key, a number with a fraction, deep nesting in an unknown field) goes to
// append() on the parsed tree, so both ways give the same products and the same errors (fuzzed side by side).
#include <cstdint>
#include <cstring>

#include "store/catalog.hpp"
#include "base/json_fields.hpp"
#include "base/url.hpp"

namespace cartkeep {
namespace {

enum Field : unsigned {
  kId, kTitle, kPrice, kCurrency, kCategory, kTags, kBrand, kWeight, kStock, kDescription, kImage, kUrl,
  kShippingClass, kTaxCategory, kFieldCount
};
constexpr std::string_view kFieldNames[kFieldCount] = {"id", "title", "price", "currency", "category", "tags",
                                                       "brand", "weight", "stock", "description", "image", "url",
                                                       "shippingClass", "taxCategory"};

// Compared as lengths and bytes: libc++'s string comparisons are out of line in the wasm build, and this runs
// for every member of every product.
int fieldIndex(const std::string& key) {
  for (unsigned i = 0; i < kFieldCount; ++i)
    if (key.size() == kFieldNames[i].size() && std::memcmp(key.data(), kFieldNames[i].data(), key.size()) == 0)
      return static_cast<int>(i);
  return -1;
}

// Length of the well-formed UTF-8 sequence at p (RFC 3629, as nlohmann's lexer checks it), 0 if ill-formed.
std::size_t utf8Length(const unsigned char* p, const unsigned char* end) {
  const auto in = [](unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; };
  const std::size_t left = static_cast<std::size_t>(end - p);
  const unsigned char c = p[0];
  if (in(c, 0xC2, 0xDF)) return left >= 2 && in(p[1], 0x80, 0xBF) ? 2 : 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c == 0xE0) lo = 0xA0;
  if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  if (in(c, 0xE0, 0xEF))
    return left >= 3 && in(p[1], lo, hi) && in(p[2], 0x80, 0xBF) ? 3 : 0;
  if (c == 0xF0) lo = 0x90;
  if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  if (in(c, 0xF0, 0xF4))
    return left >= 4 && in(p[1], lo, hi) && in(p[2], 0x80, 0xBF) && in(p[3], 0x80, 0xBF) ? 4 : 0;
  return 0;
}

void appendUtf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

class PlainReader {
 public:
  explicit PlainReader(std::string_view text)
      : p_(reinterpret_cast<const unsigned char*>(text.data())), end_(p_ + text.size()) {}

  void skipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool consume(char c) {
    skipSpace();
    if (p_ == end_ || *p_ != static_cast<unsigned char>(c)) return false;
    ++p_;
    skipSpace();
    return true;
  }
  bool atEnd() const { return p_ == end_; }
  bool next(char c) const { return p_ != end_ && *p_ == static_cast<unsigned char>(c); }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(reinterpret_cast<const char*>(p_), word.size()) != word)
      return false;
    p_ += word.size();
    return true;
  }

  // A JSON string, decoded into `out`.
  bool string(std::string& out) {
    out.clear();
    if (!next('"')) return false;
    ++p_;
    for (;;) {
      const unsigned char* run = p_;
      while (p_ != end_ && *p_ >= 0x20 && *p_ < 0x80 && *p_ != '"' && *p_ != '\\') ++p_;
      out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p_ - run));
      if (p_ == end_ || *p_ < 0x20) return false;  // unterminated, or a raw control character
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      if (*p_ == '\\') {
        if (!escape(out)) return false;
        continue;
      }
      const std::size_t length = utf8Length(p_, end_);
      if (!length) return false;
      out.append(reinterpret_cast<const char*>(p_), length);
      p_ += length;
    }
  }

  // Digits only, as JSON.stringify writes integers: a sign, fraction or exponent is left to the tree.
  bool integer(std::int64_t& out) {
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    if (*p_ == '0' && p_ + 1 != end_ && p_[1] >= '0' && p_[1] <= '9') return false;  // not JSON
    std::int64_t value = 0;
    int digits = 0;
    for (; p_ != end_ && *p_ >= '0' && *p_ <= '9'; ++p_) {
      if (++digits > 16) return false;
      value = value * 10 + (*p_ - '0');
    }
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    out = value;
    return true;
  }

  // Any JSON value in a field the catalog does not read.
  bool skipValue(int depth) {
    if (depth > 32 || p_ == end_) return false;
    switch (*p_) {
      case '"': return string(scratch_);
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      case '[': {
        ++p_;
        if (consume(']')) return true;
        skipSpace();
        do {
          if (!skipValue(depth + 1)) return false;
        } while (consume(','));
        return consume(']');
      }
      case '{': {
        ++p_;
        if (consume('}')) return true;
        skipSpace();
        do {
          if (!string(scratch_) || !consume(':') || !skipValue(depth + 1)) return false;
        } while (consume(','));
        return consume('}');
      }
      default: return number();
    }
  }


 private:
  bool escape(std::string& out) {
    if (end_ - p_ < 2) return false;
    const unsigned char c = p_[1];
    p_ += 2;
    switch (c) {
      case '"': out.push_back('"'); return true;
      case '\\': out.push_back('\\'); return true;
      case '/': out.push_back('/'); return true;
      case 'b': out.push_back('\b'); return true;
      case 'f': out.push_back('\f'); return true;
      case 'n': out.push_back('\n'); return true;
      case 'r': out.push_back('\r'); return true;
      case 't': out.push_back('\t'); return true;
      case 'u': break;
      default: return false;
    }
    std::uint32_t code = 0;
    if (!hex4(code)) return false;
    if (code >= 0xDC00 && code <= 0xDFFF) return false;  // a low surrogate first
    if (code >= 0xD800 && code <= 0xDBFF) {
      std::uint32_t low = 0;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    appendUtf8(out, code);
    return true;
  }

  bool hex4(std::uint32_t& code) {
    if (end_ - p_ < 4) return false;
    for (int i = 0; i < 4; ++i, ++p_) {
      const unsigned char c = *p_;
      const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) return false;
      code = code * 16 + static_cast<std::uint32_t>(digit);
    }
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?, short enough to be finite: exponents are left to the tree.
  bool number() {
    const unsigned char* start = p_;
    if (next('-')) ++p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (next('.')) {
      ++p_;
      if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (next('e') || next('E')) return false;
    return p_ - start <= 300;
  }

  const unsigned char* p_;
  const unsigned char* end_;
  std::string scratch_;
};

bool optionalString(PlainReader& in, std::string& out, std::size_t minLength, std::size_t maxLength,
                    const char* fallback) {
  if (in.next('n')) {
    if (!in.literal("null")) return false;
    out = fallback;
    return true;
  }
  return in.string(out) && out.size() >= minLength && out.size() <= maxLength;
}

bool boundedInteger(PlainReader& in, std::int64_t& out, std::int64_t max) {
  return in.integer(out) && out <= max;
}

bool tags(PlainReader& in, std::vector<std::string>& out) {
  out.clear();
  if (in.next('n')) return in.literal("null");
  if (!in.consume('[')) return false;
  if (in.consume(']')) return true;
  do {
    if (out.size() == 100) return false;
    out.emplace_back();
    if (!in.string(out.back()) || out.back().size() > 100) return false;
  } while (in.consume(','));
  return in.consume(']');
}

bool field(PlainReader& in, unsigned which, Product& product, const std::string& storeCurrency) {
  switch (which) {
    case kId: return in.string(product.id) && !product.id.empty() && product.id.size() <= 64;
    case kTitle: return in.string(product.title) && !product.title.empty() && product.title.size() <= 500;
    case kPrice: return boundedInteger(in, product.price, kMaxJsSafeMinor);
    case kCurrency:
      return optionalString(in, product.currency, 0, 16, storeCurrency.c_str()) && product.currency == storeCurrency;
    case kCategory: return optionalString(in, product.category, 0, 200, "");
    case kTags: return tags(in, product.tags);
    case kBrand: return optionalString(in, product.brand, 0, 200, "");
    case kWeight:
      if (in.next('n')) return in.literal("null");  // stays 0
      return boundedInteger(in, product.weightGrams, 100000000);
    case kStock: {
      if (in.next('n')) return in.literal("null");  // not tracked
      std::int64_t stock = 0;
      if (!boundedInteger(in, stock, 1000000000)) return false;
      product.stock = stock;
      return true;
    }
    case kDescription: return optionalString(in, product.description, 0, 5000, "");
    case kImage: return optionalString(in, product.image, 0, 2048, "") && isSafeUrl(product.image);
    case kUrl: return optionalString(in, product.url, 0, 2048, "") && isSafeUrl(product.url);
    case kShippingClass: return optionalString(in, product.shippingClass, 0, 64, "");
    case kTaxCategory: return optionalString(in, product.taxCategory, 1, 64, "standard");
    default: return false;
  }
}

bool product(PlainReader& in, Product& product, const std::string& storeCurrency) {
  if (!in.consume('{')) return false;
  unsigned seen = 0;
  std::string key;  // member names fit the small-string buffer: no allocation
  if (!in.next('}')) {
    do {
      if (!in.string(key) || !in.consume(':')) return false;
      const int which = fieldIndex(key);
      if (which < 0) {
        if (!in.skipValue(0)) return false;
        continue;
      }
      const unsigned bit = 1u << which;
      if (seen & bit) return false;  // the tree keeps the last of duplicate keys: leave that to it
      seen |= bit;
      if (!field(in, static_cast<unsigned>(which), product, storeCurrency)) return false;
    } while (in.consume(','));
  }
  if (!in.consume('}')) return false;
  const unsigned required = (1u << kId) | (1u << kTitle) | (1u << kPrice);
  if ((seen & required) != required) return false;
  if (!(seen & (1u << kCurrency))) product.currency = storeCurrency;
  return true;
}

}  // namespace

bool Catalog::appendPlain(std::string_view text, const std::string& storeCurrency) {
  PlainReader in(text);
  in.skipSpace();
  if (!in.consume('[')) return false;
  const std::size_t before = products_.size();
  bool plain = true;
  if (!in.next(']')) {
    do {
      Product read;
      if (products_.size() == kMaxProducts || !product(in, read, storeCurrency) ||
          !indexById_.emplace(read.id, products_.size()).second) {
        plain = false;
        break;
      }
      products_.push_back(std::move(read));
    } while (in.consume(','));
  }
  plain = plain && in.consume(']') && in.atEnd();
  if (plain) return true;
  for (std::size_t i = before; i < products_.size(); ++i) indexById_.erase(products_[i].id);
  products_.resize(before);
  return false;
}

Status Catalog::appendText(std::string_view text, const std::string& storeCurrency, const std::string& path) {
  if (appendPlain(text, storeCurrency)) return success();
  CARTKEEP_TRY_ASSIGN(nlohmann::json parsed, json_fields::parse(text, path));
  return append(parsed, storeCurrency, path);
}

}  // namespace cartkeep
