#pragma once
// Times passed from JS, read in one place. Wall-clock times (Date.now(), an `at` or `now` field): milliseconds
// since 1970, from 0 to the largest JS Date. Page-clock times (performance.now()): milliseconds since the page
// started, never before the previous one. A value outside that (NaN, Infinity, negative, too large, a fraction
// in a JSON field, a page time older than the last) is an error naming its path, never clamped to something
// that looks valid.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"

namespace cartkeep {

constexpr std::int64_t kMaxTimeMs = 8640000000000000;  // the largest JS Date

// A time argument (a double from JS), to the whole millisecond below.
Result<std::int64_t> readTimeMs(double ms, const std::string& path, ErrorCode code = ErrorCode::InvalidArgument);

// A page-clock time (performance.now()) that must not precede `notBefore`, the last one read. Reads and
// allocates nothing but the error: the pointer's hot path calls it for every sample.
Result<double> readPageTimeMs(double ms, double notBefore, const char* path, ErrorCode code = ErrorCode::InvalidArgument);

// object[key] as a time (a JSON integer); absent or null: nullopt.
Result<std::optional<std::int64_t>> readOptionalTimeMember(const nlohmann::json& object, std::string_view key,
                                                           const std::string& path, ErrorCode code);

}  // namespace cartkeep
