#pragma once
// The field rules the event stream applies in more than one of its files (the stream, its saved state, its
// options): step names, short tokens from other features' events, and times in ms.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/shop_names.hpp"

namespace cartkeep::stream_fields {

constexpr std::size_t kRecentOrders = 20;  // order ids remembered against a reloaded confirmation page

// A checkout step name the stream records: not empty, and a step name (base/shop_names.hpp).
inline bool isStep(std::string_view text) { return !text.empty() && isStepName(text); }

// A short identifier from another feature's event (a rule id, a reason): anything else becomes "_".
inline std::string token(const nlohmann::json& value, std::size_t max = 48) {
  if (!value.is_string()) return {};
  std::string out = value.get<std::string>().substr(0, max);
  for (char& c : out)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':')) c = '_';
  return out;
}

// A time or a duration read from stored data or a server's reply, as a whole number: damaged stored data never
// fails a page. Times passed from JS go through base/time_input.hpp instead, which rejects.
inline std::int64_t whole(double now) {
  if (!std::isfinite(now) || now < 0) return 0;
  if (now > 9.0e15) return 9000000000000000LL;
  return static_cast<std::int64_t>(std::llround(now));
}

}  // namespace cartkeep::stream_fields
