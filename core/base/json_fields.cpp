#include "base/json_fields.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cartkeep::json_fields {
namespace {

bool isIdentifier(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  });
}

std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                                 std::tolower(static_cast<unsigned char>(b[j - 1]))
                             ? 0
                             : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string quoteJson(std::string_view text) { return json(std::string(text)).dump(); }

std::string rangeText(const IntegerRule& rule) {
  if (rule.expectation) return rule.expectation;
  constexpr auto lo = std::numeric_limits<std::int64_t>::min();
  constexpr auto hi = std::numeric_limits<std::int64_t>::max();
  if (rule.min == lo && rule.max == hi) return "expected an integer";
  if (rule.max == hi) return "expected an integer of at least " + std::to_string(rule.min);
  if (rule.min == lo) return "expected an integer of at most " + std::to_string(rule.max);
  return "expected an integer from " + std::to_string(rule.min) + " to " + std::to_string(rule.max);
}

}  // namespace

std::string child(const std::string& path, std::string_view key) {
  if (isIdentifier(key)) return path.empty() ? std::string(key) : path + "." + std::string(key);
  return path + "[" + quoteJson(key) + "]";
}

std::string element(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string describeValue(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "got null";
    case json::value_t::boolean: return std::string("got ") + (value.get<bool>() ? "true" : "false");
    case json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      if (text.size() > 40) return "got " + quoteJson(text.substr(0, 40)) + "...";
      return "got " + quoteJson(text);
    }
    case json::value_t::array: return "got an array";
    case json::value_t::object: return "got an object";
    default: return "got " + value.dump();
  }
}

namespace {

// Builds the DOM like json::parse but keeps the parse error's text instead of throwing it,
// so the core parses untrusted text with exceptions disabled.
class ErrorKeepingDomParser {
 public:
  explicit ErrorKeepingDomParser(json& out) : dom_(out, false) {}
  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) { return dom_.number_float(v, s); }
  bool string(json::string_t& v) { return dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }
  bool start_object(std::size_t n) { return dom_.start_object(n); }
  bool key(json::string_t& k) { return dom_.key(k); }
  bool end_object() { return dom_.end_object(); }
  bool start_array(std::size_t n) { return dom_.start_array(n); }
  bool end_array() { return dom_.end_array(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    failure = e.what();
    return false;
  }
  std::string failure;

 private:
  nlohmann::detail::json_sax_dom_parser<json> dom_;
};

}  // namespace

Result<json> parse(std::string_view text, const std::string& what) {
  json parsed;
  ErrorKeepingDomParser handler(parsed);
  bool ok = json::sax_parse(text.begin(), text.end(), &handler, json::input_format_t::json, true);
  if (!ok || parsed.is_discarded()) {
    // nlohmann's text: "[json.exception.parse_error.101] parse error at line 1, column 5: ..."
    const std::string& failure = handler.failure;
    auto at = failure.find("parse error");
    std::string reason = failure.empty() ? std::string("parse error")
                         : at == std::string::npos ? failure : failure.substr(at);
    return Error{ErrorCode::InvalidJson, what, "not valid JSON: " + reason};
  }
  return parsed;
}

Error invalid(ErrorCode code, std::string path, std::string message) {
  return Error{code, std::move(path), std::move(message)};
}

Status expectObject(const json& value, const std::string& path, ErrorCode code) {
  if (value.is_object()) return success();
  return invalid(code, path, "expected an object, " + describeValue(value));
}

Status expectArray(const json& value, const std::string& path, ErrorCode code) {
  if (value.is_array()) return success();
  return invalid(code, path, "expected an array, " + describeValue(value));
}

Status rejectUnknownKeys(const json& object, const std::string& path, ErrorCode code,
                         std::initializer_list<std::string_view> known) {
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string message = "unknown option";
    std::string_view nearest;
    std::size_t best = 3;  // suggest only close typos
    for (auto candidate : known) {
      std::size_t distance = editDistance(key, candidate);
      if (distance < best) best = distance, nearest = candidate;
    }
    if (!nearest.empty()) message += " (did you mean " + quoteJson(nearest) + "?)";
    return invalid(code, child(path, key), message);
  }
  return success();
}

Result<std::string> readString(const json& object, std::string_view key, const std::string& path,
                               ErrorCode code, const StringRule& rule, std::string_view fallback) {
  const std::string at = child(path, key);
  auto found = object.find(std::string(key));
  if (found == object.end() || (found->is_null() && !rule.required)) {
    if (rule.required) return invalid(code, at, "required, expected a string");
    return std::string(fallback);
  }
  if (!found->is_string()) return invalid(code, at, "expected a string, " + describeValue(*found));
  const auto& text = found->get_ref<const std::string&>();
  if (text.size() < rule.minLength)
    return invalid(code, at, rule.minLength == 1 ? "expected a non-empty string"
                                                 : "expected at least " +
                                                       std::to_string(rule.minLength) + " characters");
  if (text.size() > rule.maxLength)
    return invalid(code, at, "longer than " + std::to_string(rule.maxLength) + " bytes");
  return text;
}

Result<std::int64_t> readIntegerValue(const json& value, const std::string& at, ErrorCode code, const IntegerRule& rule) {
  std::int64_t number = 0;
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      return invalid(code, at, rangeText(rule) + ", " + describeValue(value));
    number = value.get<std::int64_t>();
  } else if (value.is_number_float()) {
    // JSON.stringify writes 3 for 3.0, but accept integral floats from other producers.
    const double real = value.get<double>();
    if (!std::isfinite(real) || std::floor(real) != real || std::fabs(real) > 9.0e15)
      return invalid(code, at, rangeText(rule) + ", " + describeValue(value));
    number = static_cast<std::int64_t>(real);
  } else {
    return invalid(code, at, rangeText(rule) + ", " + describeValue(value));
  }
  if (number < rule.min || number > rule.max)
    return invalid(code, at, rangeText(rule) + ", " + describeValue(value));
  return number;
}

Result<std::optional<std::int64_t>> readOptionalInteger(const json& object, std::string_view key,
                                                        const std::string& path, ErrorCode code,
                                                        const IntegerRule& rule) {
  const std::string at = child(path, key);
  auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) {
    if (rule.required) return invalid(code, at, "required, " + rangeText(rule));
    return std::optional<std::int64_t>{};
  }
  CARTKEEP_TRY_ASSIGN(std::int64_t number, readIntegerValue(*found, at, code, rule));
  return std::optional<std::int64_t>{number};
}

Result<std::int64_t> readInteger(const json& object, std::string_view key, const std::string& path,
                                 ErrorCode code, const IntegerRule& rule, std::int64_t fallback) {
  CARTKEEP_TRY_ASSIGN(auto number, readOptionalInteger(object, key, path, code, rule));
  return number.value_or(fallback);
}

Result<bool> readBool(const json& object, std::string_view key, const std::string& path,
                      ErrorCode code, bool fallback) {
  auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) return fallback;
  if (!found->is_boolean())
    return invalid(code, child(path, key), "expected true or false, " + describeValue(*found));
  return found->get<bool>();
}

namespace {
std::string numberText(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
  return json(value).dump();
}
}  // namespace

Result<double> readNumber(const json& object, std::string_view key, const std::string& path, ErrorCode code,
                          double min, double max, double fallback) {
  auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) return fallback;
  const double value = found->is_number() ? found->get<double>() : 0;
  if (!found->is_number() || !std::isfinite(value) || !(value >= min && value <= max))
    return invalid(code, child(path, key), "expected a number from " + numberText(min) + " to " + numberText(max) +
                                               ", " + describeValue(*found));
  return value;
}

Result<std::vector<std::string>> readStringArray(const json& object, std::string_view key,
                                                 const std::string& path, ErrorCode code,
                                                 std::size_t maxItems, std::size_t maxLength) {
  const std::string at = child(path, key);
  std::vector<std::string> out;
  auto found = object.find(std::string(key));
  if (found == object.end() || found->is_null()) return out;
  CARTKEEP_TRY(expectArray(*found, at, code));
  if (found->size() > maxItems)
    return invalid(code, at, "more than " + std::to_string(maxItems) + " entries");
  for (std::size_t i = 0; i < found->size(); ++i) {
    const json& item = (*found)[i];
    if (!item.is_string())
      return invalid(code, element(at, i), "expected a string, " + describeValue(item));
    if (item.get_ref<const std::string&>().size() > maxLength)
      return invalid(code, element(at, i), "longer than " + std::to_string(maxLength) + " bytes");
    out.push_back(item.get<std::string>());
  }
  return out;
}

template <class T>
bool Fields::keep(Result<T>&& result, T& out) {
  if (!result) {
    error_ = std::move(result).error();
    failed_ = true;
    return false;
  }
  out = std::move(result).value();
  return true;
}

bool Fields::readIntegerInto(const json& object, std::string_view key, const std::string& path,
                             const IntegerRule& rule, std::int64_t fallback, std::int64_t& out) {
  return !failed_ && keep(readInteger(object, key, path, code_, rule, fallback), out);
}

void Fields::number(const json& object, std::string_view key, const std::string& path, double& out, double min,
                    double max, double fallback) {
  if (!failed_) keep(readNumber(object, key, path, code_, min, max, fallback), out);
}

void Fields::boolean(const json& object, std::string_view key, const std::string& path, bool& out, bool fallback) {
  if (!failed_) keep(readBool(object, key, path, code_, fallback), out);
}

void Fields::string(const json& object, std::string_view key, const std::string& path, std::string& out,
                    const StringRule& rule, std::string_view fallback) {
  if (!failed_) keep(readString(object, key, path, code_, rule, fallback), out);
}

Status Fields::status() {
  if (!failed_) return success();
  failed_ = false;
  return std::move(error_);
}

}  // namespace cartkeep::json_fields
