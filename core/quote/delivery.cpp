#include "quote/delivery.hpp"

#include <algorithm>

#include "base/civil_date.hpp"
#include "base/json_fields.hpp"
#include "base/json_build.hpp"
#include "base/stable_sort.hpp"

namespace cartkeep {
namespace jf = json_fields;
using nlohmann::json;

DayNumber dayFromCivil(std::int64_t year, unsigned month, unsigned day) noexcept {
  return daysFromCivil(year, month, day);
}

namespace {

std::string twoDigits(unsigned value) {
  return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10);
}

bool readDigits(std::string_view text, std::size_t at, std::size_t count, unsigned& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return true;
}

unsigned daysInMonth(std::int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

constexpr int kMaxScanDays = 3660;  // a calendar with no business day in ten years is rejected at parse

}  // namespace

std::string formatDate(DayNumber day) {
  const CivilDate c = civilFromDays(day);
  std::string year = std::to_string(c.year);
  if (year.size() < 4) year.insert(0, 4 - year.size(), '0');
  return year + "-" + twoDigits(c.month) + "-" + twoDigits(c.day);
}

int isoWeekday(DayNumber day) noexcept {
  // 1970-01-01 was a Thursday (4).
  const std::int64_t w = ((day % 7) + 7 + 3) % 7;  // 0 = Monday
  return static_cast<int>(w) + 1;
}

Result<LocalDateTime> parseLocalDateTime(std::string_view text, const std::string& path, ErrorCode code,
                                         bool endOfDay) {
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool okText = text.size() >= 10 && readDigits(text, 0, 4, year) && text[4] == '-' &&
                readDigits(text, 5, 2, month) && text[7] == '-' && readDigits(text, 8, 2, day);
  bool hasTime = false;
  if (okText && text.size() > 10) {
    hasTime = true;
    okText = (text[10] == 'T' || text[10] == ' ') && readDigits(text, 11, 2, hour) && text.size() >= 16 &&
             text[13] == ':' && readDigits(text, 14, 2, minute);
    if (okText && text.size() > 16)
      okText = text.size() == 19 && text[16] == ':' && readDigits(text, 17, 2, second) && second < 60;
  }
  okText = okText && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour < 24 &&
           minute < 60 && year >= 1970;
  if (!okText)
    return jf::invalid(code, path,
                       "expected a local date \"YYYY-MM-DD\" or date and time \"YYYY-MM-DDTHH:MM\", " +
                           jf::describeValue(json(std::string(text))));
  LocalDateTime at;
  at.day = dayFromCivil(year, month, day);
  at.minute = hasTime ? static_cast<int>(hour * 60 + minute) : (endOfDay ? 24 * 60 - 1 : 0);
  return at;
}

std::string formatDateTime(const LocalDateTime& at) {
  return formatDate(at.day) + "T" + twoDigits(static_cast<unsigned>(at.minute / 60)) + ":" +
         twoDigits(static_cast<unsigned>(at.minute % 60));
}

bool isBusinessDay(const DeliveryConfig& config, DayNumber day) {
  if (!config.businessDays[static_cast<std::size_t>(isoWeekday(day))]) return false;
  return !std::binary_search(config.holidays.begin(), config.holidays.end(), day);
}

DayNumber addBusinessDays(const DeliveryConfig& config, DayNumber day, int count) {
  for (int scanned = 0; count > 0 && scanned < kMaxScanDays; ++scanned) {
    ++day;
    if (isBusinessDay(config, day)) --count;
  }
  return day;
}

DeliveryEstimate estimateDelivery(const DeliveryConfig& config, const LocalDateTime& now, const Transit& transit) {
  DeliveryEstimate estimate;
  // An order placed on a business day before the cut-off counts from today; otherwise from the next business day.
  const bool countsToday = isBusinessDay(config, now.day) && now.minute < config.cutoffMinute;
  estimate.orderDay = countsToday ? now.day : addBusinessDays(config, now.day, 1);
  if (countsToday) estimate.minutesToCutoff = config.cutoffMinute - now.minute;
  estimate.dispatchDay = addBusinessDays(config, estimate.orderDay, config.processingDays);
  estimate.earliest = addBusinessDays(config, estimate.dispatchDay, transit.min);
  estimate.latest = addBusinessDays(config, estimate.dispatchDay, transit.max);
  return estimate;
}

Result<DeliveryConfig> parseDeliveryConfig(const json* value, const std::string& path) {
  constexpr ErrorCode kCode = ErrorCode::InvalidOptions;
  DeliveryConfig config;
  if (!value || value->is_null()) return config;
  CARTKEEP_TRY(jf::expectObject(*value, path, kCode));
  CARTKEEP_TRY(jf::rejectUnknownKeys(*value, path, kCode,
                                     {"processingDays", "cutoff", "businessDays", "holidays", "timeZone"}));
  config.configured = true;
  CARTKEEP_TRY_ASSIGN(auto processing, jf::readInteger(*value, "processingDays", path, kCode, {false, 0, 60}, 1));
  config.processingDays = static_cast<int>(processing);
  auto cutoff = value->find("cutoff");
  if (cutoff != value->end() && !cutoff->is_null()) {
    const std::string at = jf::child(path, "cutoff");
    unsigned hour = 0, minute = 0;
    const std::string text = cutoff->is_string() ? cutoff->get<std::string>() : "";
    if (!(text.size() == 5 && readDigits(text, 0, 2, hour) && text[2] == ':' && readDigits(text, 3, 2, minute) &&
          hour <= 24 && minute < 60 && hour * 60 + minute <= 24 * 60))
      return jf::invalid(kCode, at, "expected a local time \"HH:MM\" such as \"14:00\", " + jf::describeValue(*cutoff));
    config.cutoffMinute = static_cast<int>(hour * 60 + minute);
  }
  auto days = value->find("businessDays");
  if (days != value->end() && !days->is_null()) {
    const std::string at = jf::child(path, "businessDays");
    CARTKEEP_TRY(jf::expectArray(*days, at, kCode));
    config.businessDays.fill(false);
    static constexpr const char* kNames[] = {"", "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (std::size_t i = 0; i < days->size(); ++i) {
      const json& item = (*days)[i];
      int index = 0;
      for (int d = 1; d <= 7; ++d)
        if (item.is_string() && item.get<std::string>() == kNames[d]) index = d;
      if (!index)
        return jf::invalid(kCode, jf::element(at, i),
                           "expected a weekday \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\" or \"sun\", " +
                               jf::describeValue(item));
      config.businessDays[static_cast<std::size_t>(index)] = true;
    }
    if (std::none_of(config.businessDays.begin(), config.businessDays.end(), [](bool b) { return b; }))
      return jf::invalid(kCode, at, "at least one business day is needed");
  }
  CARTKEEP_TRY_ASSIGN(auto holidays, jf::readStringArray(*value, "holidays", path, kCode, 1000, 10));
  for (std::size_t i = 0; i < holidays.size(); ++i) {
    CARTKEEP_TRY_ASSIGN(auto day, parseLocalDateTime(holidays[i], jf::element(jf::child(path, "holidays"), i), kCode));
    if (holidays[i].size() != 10)
      return jf::invalid(kCode, jf::element(jf::child(path, "holidays"), i), "expected a date \"YYYY-MM-DD\"");
    config.holidays.push_back(day.day);
  }
  stableSort(config.holidays, std::less<>());
  CARTKEEP_TRY_ASSIGN(config.timeZone, jf::readString(*value, "timeZone", path, kCode, {false, 0, 64}));
  return config;
}

json toJson(const DeliveryConfig& config) {
  if (!config.configured) return nullptr;
  static constexpr const char* kNames[] = {"", "mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  json days = json::array();
  for (int d = 1; d <= 7; ++d)
    if (config.businessDays[static_cast<std::size_t>(d)]) days.push_back(kNames[d]);
  json holidays = json::array();
  for (auto day : config.holidays) holidays.push_back(formatDate(day));
  return jsonObject({{"processingDays", config.processingDays},
              {"cutoff", twoDigits(static_cast<unsigned>(config.cutoffMinute / 60)) + ":" +
                             twoDigits(static_cast<unsigned>(config.cutoffMinute % 60))},
              {"businessDays", days},
              {"holidays", holidays},
              {"timeZone", config.timeZone}});
}

}  // namespace cartkeep
