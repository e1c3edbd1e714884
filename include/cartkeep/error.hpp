#pragma once
// Errors cross every boundary as values: a stable code, the path of the offending input, and a reason.
#include <cassert>
#include <new>
#include <string>
#include <utility>

#include "cartkeep/error_codes.hpp"

namespace cartkeep {

// One enumerator per registered code (cartkeep/error_codes.hpp).
enum class ErrorCode {
#define CARTKEEP_ERROR_ENUMERATOR(name, id, meaning) name,
  CARTKEEP_ERROR_CODES(CARTKEEP_ERROR_ENUMERATOR)
#undef CARTKEEP_ERROR_ENUMERATOR
};

// The stable id ("invalid-options", ...) that JS exposes as CartKeepError.code.
const char* errorCodeId(ErrorCode code) noexcept;

struct Error {
  ErrorCode code;
  std::string path;     // "catalog[12].price", "options.cart.maxLines", "" when not about input
  std::string message;  // the reason, for a developer or (for cart errors) for the shopper

  // "catalog[12].price: expected a non-negative integer amount in minor units"
  std::string describe() const;
};

struct Unit {};

// A value or an Error; the core never throws. A tagged union rather than std::variant: every
// CARTKEEP_TRY site inlines its destructor and moves, which are smaller without the variant's
// visitation machinery (docs/size.md).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : ok_(true) { new (&value_) T(std::move(value)); }
  Result(Error error) : ok_(false) { new (&error_) Error(std::move(error)); }
  Result(Result&& other) noexcept : ok_(other.ok_) {
    if (ok_) new (&value_) T(std::move(other.value_)); else new (&error_) Error(std::move(other.error_));
  }
  Result(const Result& other) : ok_(other.ok_) {
    if (ok_) new (&value_) T(other.value_); else new (&error_) Error(other.error_);
  }
  Result& operator=(Result other) noexcept {
    destroy();
    ok_ = other.ok_;
    if (ok_) new (&value_) T(std::move(other.value_)); else new (&error_) Error(std::move(other.error_));
    return *this;
  }
  ~Result() { destroy(); }

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  // Reading the wrong side is a bug in the caller: the native and sanitized test builds stop on it.
  const T& value() const& { assert(ok_); return value_; }
  T& value() & { assert(ok_); return value_; }
  T&& value() && { assert(ok_); return std::move(value_); }
  const Error& error() const& { assert(!ok_); return error_; }
  Error&& error() && { assert(!ok_); return std::move(error_); }

 private:
  void destroy() noexcept { if (ok_) value_.~T(); else error_.~Error(); }
  bool ok_;
  union { T value_; Error error_; };
};

using Status = Result<Unit>;
inline Status success() { return Unit{}; }

}  // namespace cartkeep
