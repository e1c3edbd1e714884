#pragma once
// What every bound call returns: never a C++ exception, always a code, a path, a message or a JSON value.
#include <string>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"

namespace cartkeep::bindings {

struct BoundResult {
  bool ok = true;
  std::string code;     // stable error id when !ok ("invalid-options")
  std::string path;     // "catalog[12].price"
  std::string message;  // the reason
  std::string json;     // the value as JSON text when ok
};

inline BoundResult toBound(const Error& e) { return BoundResult{false, errorCodeId(e.code), e.path, e.message, {}}; }

inline BoundResult toBound(const Result<nlohmann::json>& result) {
  if (!result) return toBound(result.error());
  // Invalid UTF-8 in product text must not abort the dump: replace it.
  return BoundResult{true, {}, {}, {}, result.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

// An answer the core wrote as JSON text itself (suggestions): passed on as it is.
inline BoundResult toBound(Result<std::string>&& result) {
  if (!result) return toBound(result.error());
  return BoundResult{true, {}, {}, {}, std::move(result).value()};
}

// A step with no value (Status) answers `null`.
inline BoundResult toBound(const Status& status) {
  if (!status) return toBound(status.error());
  return BoundResult{true, {}, {}, {}, "null"};
}

// A yes/no answer (initStep: more to do?) answers `true` or `false`.
inline BoundResult toBound(const Result<bool>& result) {
  if (!result) return toBound(result.error());
  return BoundResult{true, {}, {}, {}, result.value() ? "true" : "false"};
}

}  // namespace cartkeep::bindings
