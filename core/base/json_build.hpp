#pragma once
// Building JSON objects without nlohmann's initializer-list machinery.
//
// `json{{"a", x}, {"b", y}}` makes every member a two-element array first and then checks whether the
// whole list looks like an object; after inlining that is about 120 bytes of wasm per member, and the
// core builds objects in a thousand places. `jsonObject({{"a", x}, {"b", y}})` gives the same value
// (same members, the first of two equal keys wins as before) through one non-template function.
#include <initializer_list>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"

namespace cartkeep {

struct JsonMember {
  std::string_view key;
  mutable nlohmann::json value;  // moved out by jsonObject: initializer_list elements are const
};

nlohmann::json jsonObject(std::initializer_list<JsonMember> members);

// Text for the shopper, as every feature hands it to the page: {key (one of options.strings), values}. The
// page formats each value for the locale ({money}, {number}, {date}, ...; js/platform/message.js).
nlohmann::json shopperMessage(std::string_view key, nlohmann::json values = nlohmann::json::object());

// [first, second], without the initializer-list machinery.
nlohmann::json jsonPair(nlohmann::json first, nlohmann::json second);

// An error carried inside an answer (beside the values that did come through): {code, path, message}, the
// code's registered id, as a rejected call's error reaches JS.
nlohmann::json errorJson(const Error& error);

}  // namespace cartkeep
