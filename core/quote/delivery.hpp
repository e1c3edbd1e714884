#pragma once
// Calendar arithmetic for delivery estimates: local dates as day numbers, business days, holidays,
// a dispatch cut-off. JS supplies "now" as the store's local wall-clock time; the core does the rest.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cartkeep/error.hpp"

namespace cartkeep {

using DayNumber = std::int64_t;  // days since 1970-01-01 (proleptic Gregorian)

DayNumber dayFromCivil(std::int64_t year, unsigned month, unsigned day) noexcept;
std::string formatDate(DayNumber day);  // "2024-12-03"
int isoWeekday(DayNumber day) noexcept;  // 1 = Monday ... 7 = Sunday

struct LocalDateTime {
  DayNumber day = 0;
  int minute = 0;  // minutes after local midnight, 0..1439
  bool operator<(const LocalDateTime& o) const noexcept { return day < o.day || (day == o.day && minute < o.minute); }
  bool operator<=(const LocalDateTime& o) const noexcept { return !(o < *this); }
};

// "2024-12-02" (midnight, or 23:59 when endOfDay) or "2024-12-02T13:35" / "2024-12-02T13:35:20".
Result<LocalDateTime> parseLocalDateTime(std::string_view text, const std::string& path, ErrorCode code,
                                         bool endOfDay = false);
std::string formatDateTime(const LocalDateTime& at);  // "2024-12-02T13:35"

struct DeliveryConfig {
  bool configured = false;
  int processingDays = 1;                   // business days between the order day and dispatch
  int cutoffMinute = 14 * 60;               // orders before this local time count the day as a processing day
  std::array<bool, 8> businessDays{false, true, true, true, true, true, false, false};  // [1..7] Mon..Sun
  std::vector<DayNumber> holidays;          // sorted
  std::string timeZone;                     // IANA name used by JS for "now", e.g. "Europe/London"
};

struct Transit {
  int min = 0;
  int max = 0;
};

struct DeliveryEstimate {
  DayNumber orderDay = 0;     // the business day the order counts from
  DayNumber dispatchDay = 0;
  DayNumber earliest = 0;
  DayNumber latest = 0;
  // Minutes left to order before the next cut-off that still gives this estimate (empty when the
  // cut-off for the estimate has passed or today is not a business day).
  std::optional<int> minutesToCutoff;
};

bool isBusinessDay(const DeliveryConfig& config, DayNumber day);
DayNumber addBusinessDays(const DeliveryConfig& config, DayNumber day, int count);  // day itself not counted
DeliveryEstimate estimateDelivery(const DeliveryConfig& config, const LocalDateTime& now, const Transit& transit);

// options.delivery
Result<DeliveryConfig> parseDeliveryConfig(const nlohmann::json* value, const std::string& path);
nlohmann::json toJson(const DeliveryConfig& config);

}  // namespace cartkeep
