#include "base/json_build.hpp"

#include <string>
#include <utility>

namespace cartkeep {

nlohmann::json jsonObject(std::initializer_list<JsonMember> members) {
  nlohmann::json out(nlohmann::json::value_t::object);
  auto& object = out.get_ref<nlohmann::json::object_t&>();
  for (const JsonMember& member : members) object.emplace(std::string(member.key), std::move(member.value));
  return out;
}

nlohmann::json jsonPair(nlohmann::json first, nlohmann::json second) {
  nlohmann::json pair = nlohmann::json::array();
  pair.push_back(std::move(first));
  pair.push_back(std::move(second));
  return pair;
}

nlohmann::json errorJson(const Error& error) {
  return jsonObject({{"code", errorCodeId(error.code)}, {"path", error.path}, {"message", error.message}});
}

nlohmann::json shopperMessage(std::string_view key, nlohmann::json values) {
  return jsonObject({{"key", std::string(key)}, {"values", std::move(values)}});
}

}  // namespace cartkeep
