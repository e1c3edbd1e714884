#include "suggest/suggest_answer.hpp"

#include "base/json_text.hpp"

namespace cartkeep {
namespace {

void appendNullableString(std::string& out, const std::string* text) {
  if (text) appendJsonString(out, *text);
  else out += "null";
}

void appendReason(std::string& out, const SuggestReason& reason) {
  out += "{\"code\":";
  appendJsonString(out, reason.code);
  out += ",\"message\":{\"key\":";
  out += "\"suggest.reason.";
  out += reason.code;  // codes are plain ASCII words
  out += '"';
  out += ",\"values\":{";
  if (reason.messageTitle) {
    out += "\"title\":";
    appendJsonString(out, *reason.messageTitle);
  }
  out += "}},\"productId\":";
  appendNullableString(out, reason.productId);
  out += ",\"text\":";
  appendJsonString(out, reason.text);
  out += '}';
}

void appendItem(std::string& out, const SuggestItem& item) {
  const Product& p = *item.product;
  out += "{\"category\":";
  appendJsonString(out, p.category);
  out += ",\"image\":";
  appendJsonString(out, p.image);
  out += ",\"position\":";
  appendJsonInteger(out, static_cast<std::int64_t>(item.position));
  out += ",\"price\":";
  appendJsonInteger(out, p.price);
  out += ",\"productId\":";
  appendJsonString(out, p.id);
  out += ",\"reason\":";
  appendReason(out, item.reason);
  out += ",\"score\":";
  if (item.score) appendJsonNumber(out, *item.score);
  else out += "null";
  out += ",\"stock\":";
  if (p.stock) appendJsonInteger(out, *p.stock);
  else out += "null";
  out += ",\"title\":";
  appendJsonString(out, p.title);
  out += ",\"url\":";
  appendJsonString(out, p.url);
  if (item.viewedAt) {
    out += ",\"viewedAt\":";
    appendJsonInteger(out, *item.viewedAt);
  }
  out += '}';
}

}  // namespace

std::string SuggestAnswer::text() const {
  std::string out;
  out.reserve(256 + items.size() * 320);
  out += '{';
  if (gap) {
    out += "\"gap\":";
    appendJsonInteger(out, *gap);
    out += ',';
  }
  out += "\"issues\":";
  out += issues.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += ",\"items\":[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    appendItem(out, items[i]);
  }
  out += "],\"placement\":";
  appendJsonString(out, placement);
  out += ",\"source\":";
  appendJsonString(out, source);
  out += ",\"title\":";
  appendJsonString(out, title);
  out += '}';
  return out;
}

}  // namespace cartkeep
