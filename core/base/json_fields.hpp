#pragma once
// Reading untrusted JSON into typed values; every failure names the exact path and the reason.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"

namespace cartkeep::json_fields {

using nlohmann::json;

std::string child(const std::string& path, std::string_view key);  // options + cart -> options.cart
std::string element(const std::string& path, std::size_t index);   // catalog + 3 -> catalog[3]
std::string describeValue(const json& value);                        // got "abc", got 1.5, got null

// Parses text without exceptions; the error says where the syntax broke.
Result<json> parse(std::string_view text, const std::string& what);

Error invalid(ErrorCode code, std::string path, std::string message);

Status expectObject(const json& value, const std::string& path, ErrorCode code);
Status expectArray(const json& value, const std::string& path, ErrorCode code);

// Rejects keys outside `known`, suggesting the nearest known key for a typo.
Status rejectUnknownKeys(const json& object, const std::string& path, ErrorCode code,
                         std::initializer_list<std::string_view> known);

struct StringRule {
  bool required = false;
  std::size_t minLength = 0;
  std::size_t maxLength = 10000;
};
// A string member; absent (or null when not required) gives `fallback`.
Result<std::string> readString(const json& object, std::string_view key, const std::string& path,
                               ErrorCode code, const StringRule& rule, std::string_view fallback = {});

struct IntegerRule {
  bool required = false;
  std::int64_t min = INT64_MIN;
  std::int64_t max = INT64_MAX;
  const char* expectation = nullptr;  // overrides "expected an integer from A to B"
};
Result<std::int64_t> readInteger(const json& object, std::string_view key, const std::string& path,
                                 ErrorCode code, const IntegerRule& rule, std::int64_t fallback = 0);
// One value (not a member) as an integer under `rule`, `at` naming it; null counts as absent only in readInteger.
Result<std::int64_t> readIntegerValue(const json& value, const std::string& at, ErrorCode code, const IntegerRule& rule);
// Like readInteger, but absent or null stays empty.
Result<std::optional<std::int64_t>> readOptionalInteger(const json& object, std::string_view key,
                                                        const std::string& path, ErrorCode code,
                                                        const IntegerRule& rule);

Result<bool> readBool(const json& object, std::string_view key, const std::string& path,
                      ErrorCode code, bool fallback);

// A finite JSON number (integer or not) in [min, max]; absent or null gives `fallback`. The error reads
// "expected a number from 0 to 1, got ...", whole bounds without a decimal point.
Result<double> readNumber(const json& object, std::string_view key, const std::string& path, ErrorCode code,
                          double min, double max, double fallback);

Result<std::vector<std::string>> readStringArray(const json& object, std::string_view key,
                                                 const std::string& path, ErrorCode code,
                                                 std::size_t maxItems, std::size_t maxLength);

// Reads the members of options or input objects one call per field, keeping the first error: a run of
// fields then costs one error branch instead of one per field, which is most of what the readers cost in wasm
// (docs/size.md). Once a read failed the later ones do nothing, so status() reports the error a chain of
// CARTKEEP_TRY_ASSIGN would have returned, and no field is written after it.
class Fields {
 public:
  explicit Fields(ErrorCode code) : code_(code) {}

  template <class T>
  void integer(const json& object, std::string_view key, const std::string& path, T& out, const IntegerRule& rule,
               std::int64_t fallback = 0) {
    std::int64_t value = 0;
    if (readIntegerInto(object, key, path, rule, fallback, value)) out = static_cast<T>(value);
  }
  void number(const json& object, std::string_view key, const std::string& path, double& out, double min,
              double max, double fallback);
  void boolean(const json& object, std::string_view key, const std::string& path, bool& out, bool fallback);
  void string(const json& object, std::string_view key, const std::string& path, std::string& out,
              const StringRule& rule, std::string_view fallback = {});

  // The first error (handed over, so the reader can go on with the next run of fields), or success.
  Status status();

 private:
  bool readIntegerInto(const json& object, std::string_view key, const std::string& path, const IntegerRule& rule,
                       std::int64_t fallback, std::int64_t& out);
  template <class T>
  bool keep(Result<T>&& result, T& out);

  ErrorCode code_;
  bool failed_ = false;
  Error error_{ErrorCode::InvalidOptions, {}, {}};
};

}  // namespace cartkeep::json_fields

// Propagates an error Result out of the calling function (moving its Error), else binds its value.
#define CARTKEEP_CONCAT_INNER(a, b) a##b
#define CARTKEEP_CONCAT(a, b) CARTKEEP_CONCAT_INNER(a, b)
#define CARTKEEP_TRY_ASSIGN(lhs, expr)                                        \
  auto CARTKEEP_CONCAT(cartkeep_result_, __LINE__) = (expr);                  \
  if (!CARTKEEP_CONCAT(cartkeep_result_, __LINE__))                           \
    return std::move(CARTKEEP_CONCAT(cartkeep_result_, __LINE__)).error();    \
  lhs = std::move(CARTKEEP_CONCAT(cartkeep_result_, __LINE__)).value()
#define CARTKEEP_TRY(expr)                                                    \
  do {                                                                        \
    auto cartkeep_status_ = (expr);                                           \
    if (!cartkeep_status_) return std::move(cartkeep_status_).error();        \
  } while (0)
