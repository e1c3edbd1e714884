#pragma once
// Appending JSON text straight to a string, byte for byte as nlohmann::json::dump(-1, ' ', false, replace)
// writes the same values: hot answers (suggestions) skip building a json tree only to print it.
#include <cstdint>
#include <string>
#include <string_view>

namespace cartkeep {

// A quoted, escaped string; invalid UTF-8 becomes U+FFFD as dump's `replace` handler makes it.
void appendJsonString(std::string& out, std::string_view text);
// A double as dump writes it: shortest round-trip digits ("0.5", "1.0", "1e-05"), `null` when not finite.
void appendJsonNumber(std::string& out, double value);
void appendJsonInteger(std::string& out, std::int64_t value);

}  // namespace cartkeep
