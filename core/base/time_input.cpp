#include "base/time_input.hpp"

#include <cmath>

#include "base/json_fields.hpp"

namespace cartkeep {

namespace {
constexpr const char* kTimeExpectation = "expected a time in ms since 1970 (Date.now())";

// A finite time as JS would print it (400, not 400.0).
std::string shownMs(double ms) {
  return ms == std::floor(ms) && std::fabs(ms) < 9.0e15 ? std::to_string(static_cast<std::int64_t>(ms)) : nlohmann::json(ms).dump();
}
}  // namespace

Result<std::int64_t> readTimeMs(double ms, const std::string& path, ErrorCode code) {
  if (!std::isfinite(ms) || ms < 0 || ms > static_cast<double>(kMaxTimeMs)) {
    const std::string got = std::isnan(ms)   ? "got NaN"
                            : std::isinf(ms) ? (ms > 0 ? "got Infinity" : "got -Infinity")
                                             : json_fields::describeValue(nlohmann::json(ms));
    return json_fields::invalid(code, path, std::string(kTimeExpectation) + ", " + got);
  }
  return static_cast<std::int64_t>(std::floor(ms));
}

Result<double> readPageTimeMs(double ms, double notBefore, const char* path, ErrorCode code) {
  if (ms >= notBefore && ms >= 0 && ms <= static_cast<double>(kMaxTimeMs)) return ms;  // false for NaN
  const std::string expected = "expected the page's clock in ms (performance.now())";
  if (!std::isfinite(ms) || ms < 0 || ms > static_cast<double>(kMaxTimeMs)) {
    const std::string got = std::isnan(ms)   ? "NaN"
                            : std::isinf(ms) ? (ms > 0 ? "Infinity" : "-Infinity")
                                             : shownMs(ms);
    return json_fields::invalid(code, path, expected + ", got " + got);
  }
  return json_fields::invalid(code, path, expected + " in time order, got " + shownMs(ms) + " after " + shownMs(notBefore));
}

Result<std::optional<std::int64_t>> readOptionalTimeMember(const nlohmann::json& object, std::string_view key,
                                                           const std::string& path, ErrorCode code) {
  return json_fields::readOptionalInteger(object, key, path, code, {false, 0, kMaxTimeMs, kTimeExpectation});
}

}  // namespace cartkeep
