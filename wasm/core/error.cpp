#include "cartkeep/error.hpp"

namespace cartkeep {

const char* errorCodeId(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::InvalidJson: return "invalid-json";
    case ErrorCode::InvalidOptions: return "invalid-options";
    case ErrorCode::InvalidCatalog: return "invalid-catalog";
    case ErrorCode::InvalidArgument: return "invalid-argument";
    case ErrorCode::UnknownProduct: return "unknown-product";
    case ErrorCode::QuantityLimit: return "quantity-limit";
    case ErrorCode::OutOfStock: return "out-of-stock";
    case ErrorCode::Overflow: return "overflow";
    case ErrorCode::NotInitialised: return "not-initialised";
  }
  return "unknown";
}

std::string Error::describe() const {
  return path.empty() ? message : path + ": " + message;
}

}  // namespace cartkeep
