#include "base/json_text.hpp"

#include <nlohmann/json.hpp>

namespace cartkeep {

void appendJsonString(std::string& out, std::string_view text) {
  // Printable ASCII without quote or backslash is copied as is; anything else (escapes, UTF-8) is dump's to write.
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
      out += nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
  }
  out += '"';
  out.append(text.data(), text.size());
  out += '"';
}

void appendJsonNumber(std::string& out, double value) {
  out += nlohmann::json(value).dump();  // dump's own float writer: one copy of it in the wasm
}

void appendJsonInteger(std::string& out, std::int64_t value) { out += std::to_string(value); }

}  // namespace cartkeep
