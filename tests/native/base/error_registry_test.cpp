// The error registry (cartkeep/error_codes.hpp): every code has one stable, distinct, kebab-case id and a meaning.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "cartkeep/error.hpp"
#include "persistence/snapshot.hpp"

namespace {
struct RegisteredCode {
  cartkeep::ErrorCode code;
  std::string id;
  std::string meaning;
};

bool isKebabCase(const std::string& id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || c == '-')) return false;
  return id.find("--") == std::string::npos;
}
}  // namespace

TEST_CASE("every registered error code has a distinct kebab-case id and a meaning", "[error]") {
  const RegisteredCode registry[] = {
#define CARTKEEP_ERROR_ROW(name, id, meaning) {cartkeep::ErrorCode::name, id, meaning},
      CARTKEEP_ERROR_CODES(CARTKEEP_ERROR_ROW)
#undef CARTKEEP_ERROR_ROW
  };
  std::set<std::string> ids;
  for (const auto& row : registry) {
    INFO(row.id);
    CHECK(isKebabCase(row.id));
    CHECK(row.meaning.size() > 10);
    CHECK(std::string(cartkeep::errorCodeId(row.code)) == row.id);
    CHECK(ids.insert(row.id).second);
  }
  CHECK(ids.count("invalid-options") == 1);
  CHECK(ids.count("snapshot-checksum") == 1);
}

TEST_CASE("stored-cart and link problems carry registered codes", "[error]") {
  const auto read = cartkeep::decodeSnapshot("{not json");
  REQUIRE(read.problem);
  CHECK(std::string(cartkeep::errorCodeId(read.problem->code)) == "snapshot-corrupt");
}
