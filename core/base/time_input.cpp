#include "base/time_input.hpp"

#include <cmath>

#include "base/json_fields.hpp"

namespace cartkeep {

namespace {
constexpr const char* kTimeExpectation = "expected a time in ms since 1970 (Date.now())";

// What a time argument was, as the errors say it: "got NaN", "got Infinity", "got -1.0".
std::string gotTime(double ms) {
  if (std::isnan(ms)) return "got NaN";
  if (std::isinf(ms)) return ms > 0 ? "got Infinity" : "got -Infinity";
  return json_fields::describeValue(nlohmann::json(ms));
}
}  // namespace

Result<std::int64_t> readTimeMs(double ms, const std::string& path, ErrorCode code) {
  if (!std::isfinite(ms) || ms < 0 || ms > static_cast<double>(kMaxTimeMs))
    return json_fields::invalid(code, path, std::string(kTimeExpectation) + ", " + gotTime(ms));
  return static_cast<std::int64_t>(std::floor(ms));
}

Result<double> readPageTimeMs(double ms, double notBefore, const char* path, ErrorCode code) {
  if (ms >= notBefore && ms >= 0 && ms <= static_cast<double>(kMaxTimeMs)) return ms;  // false for NaN
  return json_fields::invalid(code, path, "expected the page's clock in ms (performance.now()), not before the previous "
                                          "observation's " + nlohmann::json(notBefore).dump() + ", " + gotTime(ms));
}

Result<std::optional<std::int64_t>> readOptionalTimeMember(const nlohmann::json& object, std::string_view key,
                                                           const std::string& path, ErrorCode code) {
  return json_fields::readOptionalInteger(object, key, path, code, {false, 0, kMaxTimeMs, kTimeExpectation});
}

}  // namespace cartkeep
