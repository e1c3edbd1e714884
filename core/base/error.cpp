#include "cartkeep/error.hpp"

namespace cartkeep {

const char* errorCodeId(ErrorCode code) noexcept {
  switch (code) {
#define CARTKEEP_ERROR_ID_CASE(name, id, meaning) \
  case ErrorCode::name: return id;
    CARTKEEP_ERROR_CODES(CARTKEEP_ERROR_ID_CASE)
#undef CARTKEEP_ERROR_ID_CASE
  }
  return "internal";
}

std::string Error::describe() const {
  return path.empty() ? message : path + ": " + message;
}

}  // namespace cartkeep
