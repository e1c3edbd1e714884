#include "persistence/resume_link.hpp"

#include <algorithm>
#include <cstdio>

#include "base/json_fields.hpp"
#include "base/hex_digit.hpp"
#include "base/json_build.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::int64_t kMaxLinkQuantity = 1000000000;

bool isSpecial(char c) { return c == '%' || c == ',' || c == '*' || c == '|' || c == '='; }

std::string escape(std::string_view text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (isSpecial(c)) {
      out += '%';
      out += hex[(static_cast<unsigned char>(c) >> 4) & 0xF];
      out += hex[static_cast<unsigned char>(c) & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

bool unescape(std::string_view text, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return false;
    const int high = hexDigitValue(text[i + 1]), low = hexDigitValue(text[i + 2]);
    if (high < 0 || low < 0) return false;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return true;
}

std::string hex8(std::uint32_t value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%08x", static_cast<unsigned>(value));
  return buffer;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool parseQuantity(std::string_view text, std::int64_t& out) {
  if (text.empty() || text.size() > 10) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return out >= 1 && out <= kMaxLinkQuantity;
}

bool isProductId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::none_of(id.begin(), id.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

std::string shown(std::string_view text) { return json(std::string(text.substr(0, 40))).dump(-1, ' ', false, json::error_handler_t::replace); }

struct Collector {
  LinkRead& read;
  std::size_t maxItems;
  const std::string& param;
  bool full = false;

  void invalid(std::string path, std::string message) {
    read.notices.push_back(jsonObject({{"kind", "link-item-invalid"}, {"path", std::move(path)}, {"problem", std::move(message)},
                                       {"message", shopperMessage("persist.notice.link-item-invalid")}}));
  }

  void add(std::string id, std::int64_t quantity, std::size_t index) {
    auto& items = read.link.items;
    auto found = std::find_if(items.begin(), items.end(), [&](const LinkItem& i) { return i.productId == id; });
    if (found != items.end()) {
      found->quantity = std::min(kMaxLinkQuantity, found->quantity + quantity);
      return;
    }
    if (items.size() >= maxItems) {
      if (!full)
        invalid(jf::element(param, index), "more than " + std::to_string(maxItems) +
                                               " different products; this one and the rest were left out");
      full = true;
      return;
    }
    items.push_back(LinkItem{std::move(id), quantity, jf::element(param, index)});
  }
};

}  // namespace

std::string base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t n = (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16) |
                            (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < bytes.size()) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (i + 1 < bytes.size()) out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

bool base64UrlDecode(std::string_view text, std::string& out) {
  out.clear();
  if (text.size() % 4 == 1) return false;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const char* at = std::char_traits<char>::find(kAlphabet, 64, c);
    if (!at) return false;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(at - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // Leftover bits must be zero, so every link has exactly one spelling.
  return (buffer & ((1u << bits) - 1)) == 0;
}

LinkWrite encodeResumeLink(const ResumeLink& link, std::size_t maxLength) {
  std::string payload;
  for (std::size_t i = 0; i < link.items.size(); ++i) {
    if (i) payload += ',';
    payload += escape(link.items[i].productId);
    payload += '*';
    payload += std::to_string(link.items[i].quantity);
  }
  if (!link.coupon.empty()) payload += "|c=" + escape(link.coupon);
  if (!link.step.empty()) payload += "|s=" + escape(link.step);
  LinkWrite out;
  out.value = "1." + base64UrlEncode(payload) + "." + hex8(crc32(payload));
  if (out.value.size() > maxLength)
    out.problem = Error{ErrorCode::LinkTooLong, "link",
                   "the cart needs a link of " + std::to_string(out.value.size()) + " characters, more than the " +
                       std::to_string(maxLength) + " allowed (options.persistence.link.maxLength)"};
  return out;
}

LinkRead decodeResumeLink(std::string_view value, std::size_t maxLength, std::size_t maxItems,
                          const std::string& param) {
  LinkRead read;
  auto fail = [&](ErrorCode code, std::string message) {
    read.problem = Error{code, param, std::move(message)};
    read.link = {};
    return read;
  };
  value = trim(value);
  if (value.empty()) return fail(ErrorCode::InvalidLink, "the link carries no cart");
  if (value.size() > maxLength)
    return fail(ErrorCode::LinkTooLong, std::to_string(value.size()) + " characters, more than the " +
                                     std::to_string(maxLength) + " a cart link may have");
  Collector items{read, maxItems, param};

  // The versioned form: digits "." base64url "." 8 hex digits. Anything that starts like it (digits and a
  // dot, no ':' or ',') is read as one, so a link cut short is reported as damaged, not taken for an id.
  const auto firstDot = value.find('.');
  const auto lastDot = value.rfind('.');
  const bool versioned = firstDot != std::string_view::npos && firstDot > 0 &&
                         std::all_of(value.begin(), value.begin() + static_cast<std::ptrdiff_t>(firstDot),
                                     [](char c) { return c >= '0' && c <= '9'; }) &&
                         value.find_first_of(":,") == std::string_view::npos;
  if (versioned) {
    read.format = "cartkeep";
    const std::string_view version = value.substr(0, firstDot);
    if (version != "1")
      return fail(ErrorCode::LinkFutureVersion, "a version " + std::string(version.substr(0, 9)) +
                                             " cart link, made by a newer CartKeep than this one");
    if (lastDot == firstDot || value.size() - lastDot - 1 != 8)
      return fail(ErrorCode::InvalidLink, "the link is damaged or incomplete (it was cut short)");
    std::string payload;
    if (!base64UrlDecode(value.substr(firstDot + 1, lastDot - firstDot - 1), payload) ||
        hex8(crc32(payload)) != value.substr(lastDot + 1))
      return fail(ErrorCode::InvalidLink, "the link is damaged or incomplete (its checksum does not match)");
    const auto sections = split(payload, '|');
    const auto entries = sections[0].empty() ? std::vector<std::string_view>{} : split(sections[0], ',');
    for (std::size_t i = 0; i < entries.size() && !items.full; ++i) {
      const auto star = entries[i].rfind('*');
      std::string id;
      std::int64_t quantity = 0;
      if (star == std::string_view::npos || !unescape(entries[i].substr(0, star), id) || !isProductId(id)) {
        items.invalid(jf::element(param, i), "expected a product id and a quantity, got " + shown(entries[i]));
        continue;
      }
      if (!parseQuantity(entries[i].substr(star + 1), quantity)) {
        items.invalid(jf::child(jf::element(param, i), "quantity"),
                      "expected a whole number from 1 to 1000000000, got " + shown(entries[i].substr(star + 1)));
        continue;
      }
      items.add(std::move(id), quantity, i);
    }
    for (std::size_t s = 1; s < sections.size(); ++s) {
      const auto eq = sections[s].find('=');
      if (eq == std::string_view::npos) continue;
      const auto key = sections[s].substr(0, eq);
      std::string text;
      const bool decoded = unescape(sections[s].substr(eq + 1), text);
      if (key == "c") {
        if (decoded && isCouponCode(text)) read.link.coupon = text;
        else items.invalid(jf::child(param, "coupon"), "not a coupon code: " + shown(text));
      } else if (key == "s") {
        if (decoded && isStepName(text)) read.link.step = text;
        else items.invalid(jf::child(param, "step"), "not a checkout step: " + shown(text));
      }  // other keys: written by a later minor version, safe to ignore
    }
    return read;
  }

  // ID:QTY,ID:QTY (QTY defaults to 1).
  read.format = "list";
  const auto entries = split(value, ',');
  for (std::size_t i = 0; i < entries.size() && !items.full; ++i) {
    const std::string_view entry = trim(entries[i]);
    if (entry.empty()) continue;
    const auto colon = entry.rfind(':');
    const std::string_view id = trim(colon == std::string_view::npos ? entry : entry.substr(0, colon));
    std::int64_t quantity = 1;
    if (!isProductId(id)) {
      items.invalid(jf::element(param, i), "expected ID:QTY, got " + shown(entry));
      continue;
    }
    if (colon != std::string_view::npos && !parseQuantity(trim(entry.substr(colon + 1)), quantity)) {
      items.invalid(jf::child(jf::element(param, i), "quantity"),
                    "expected a whole number from 1 to 1000000000, got " + shown(entry.substr(colon + 1)));
      continue;
    }
    items.add(std::string(id), quantity, i);
  }
  if (read.link.items.empty() && read.notices.empty()) return fail(ErrorCode::InvalidLink, "the link carries no cart");
  return read;
}

}  // namespace cartkeep
