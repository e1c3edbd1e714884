#pragma once
// Errors cross every boundary as values: a stable code, the path of the offending input, and a reason.
#include <string>
#include <utility>
#include <variant>

namespace cartkeep {

enum class ErrorCode {
  InvalidJson,      // text that is not JSON
  InvalidOptions,   // options that do not match the schema
  InvalidCatalog,   // catalog entries that do not match the schema
  InvalidArgument,  // a call argument of the wrong shape (quantity 1.5, empty id)
  UnknownProduct,   // a product id the catalog does not have
  QuantityLimit,    // more than the per-line or per-cart limit
  OutOfStock,       // more than the stock allows
  Overflow,         // an amount beyond int64 minor units
  NotInitialised,   // a call on an engine whose init failed or never ran
};

// Stable, documented ids ("invalid-options", ...): JS exposes them as CartKeepError.code.
const char* errorCodeId(ErrorCode code) noexcept;

struct Error {
  ErrorCode code;
  std::string path;     // "catalog[12].price", "options.cart.maxLines", "" when not about input
  std::string message;  // the reason, for a developer or (for cart errors) for the shopper

  // "catalog[12].price: expected a non-negative integer amount in minor units"
  std::string describe() const;
};

struct Unit {};

// A value or an Error; the core never throws.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

using Status = Result<Unit>;
inline Status success() { return Unit{}; }

}  // namespace cartkeep
