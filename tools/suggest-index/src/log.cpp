#include "log.hpp"

#include <algorithm>
#include <cctype>

#include "base/civil_date.hpp"
#include "base/json_fields.hpp"

namespace suggest_index {
using cartkeep::daysFromCivil;
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool readNumber(std::string_view& text, std::size_t minDigits, std::size_t maxDigits, unsigned& out) {
  std::size_t n = 0;
  unsigned value = 0;
  while (n < text.size() && n < maxDigits && std::isdigit(static_cast<unsigned char>(text[n]))) {
    value = value * 10 + static_cast<unsigned>(text[n] - '0');
    ++n;
  }
  if (n < minDigits) return false;
  text.remove_prefix(n);
  out = value;
  return true;
}

bool expect(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

// "+01:00", "-0530", "+01" after an ISO 8601 time -> seconds east of UTC; nullopt when malformed.
std::optional<std::int64_t> readOffset(std::string_view text) {
  if (text.empty() || (text.front() != '+' && text.front() != '-')) return std::nullopt;
  const std::int64_t sign = text.front() == '-' ? -1 : 1;
  text.remove_prefix(1);
  unsigned hours = 0, minutes = 0;
  if (!readNumber(text, 2, 2, hours)) return std::nullopt;
  if (!text.empty() && text.front() == ':') text.remove_prefix(1);
  if (!text.empty() && !readNumber(text, 2, 2, minutes)) return std::nullopt;
  if (!text.empty() || hours > 14 || minutes > 59) return std::nullopt;
  return sign * (hours * 3600 + minutes * 60);
}

std::optional<std::int64_t> readClock(std::string_view text, std::int64_t days) {
  unsigned hour = 0, minute = 0, second = 0;
  std::int64_t offset = 0;
  text = trim(text);
  if (!text.empty()) {
    if (!readNumber(text, 1, 2, hour) || !expect(text, ':') || !readNumber(text, 2, 2, minute)) return std::nullopt;
    if (!text.empty() && text.front() == ':') {
      text.remove_prefix(1);
      if (!readNumber(text, 2, 2, second)) return std::nullopt;
      if (!text.empty() && (text.front() == '.' || text.front() == ',')) {  // fractions of a second
        text.remove_prefix(1);
        while (!text.empty() && std::isdigit(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
      }
    }
    text = trim(text);
    if (text == "Z" || text == "z") {
      text.remove_prefix(1);
    } else if (!text.empty()) {
      const auto east = readOffset(text);
      if (!east) return std::nullopt;
      offset = *east;
      text = {};
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  }
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

// "1396860669", "1396860669.277" (seconds) or "1396860669277" (milliseconds, told apart by size: 10^11
// seconds is the year 5138) -> whole Unix seconds.
std::optional<std::int64_t> readEpoch(std::string_view text) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  auto digits = [](std::string_view part) {
    return std::all_of(part.begin(), part.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  if (whole.empty() || whole.size() > 16 || !digits(whole) || !digits(fraction)) return std::nullopt;
  if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;
  std::int64_t value = 0;
  for (char c : whole) value = value * 10 + (c - '0');
  return value >= 100000000000LL ? value / 1000 : value;
}

bool validDate(std::int64_t y, unsigned m, unsigned d) {
  static const unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
  return true;
}

}  // namespace

std::optional<std::int64_t> parseTimestamp(std::string_view text, DateOrder order) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(text.front())) &&
      std::all_of(text.begin(), text.end(), [](char c) { return c == '.' || std::isdigit(static_cast<unsigned char>(c)); }))
    return readEpoch(text);
  unsigned a = 0, b = 0, c = 0;
  std::string_view rest = text;
  if (text.size() >= 10 && text[4] == '-') {  // ISO 8601
    if (!readNumber(rest, 4, 4, a) || !expect(rest, '-') || !readNumber(rest, 2, 2, b) || !expect(rest, '-') ||
        !readNumber(rest, 2, 2, c))
      return std::nullopt;
    if (!validDate(a, b, c)) return std::nullopt;
    if (!rest.empty() && rest.front() != 'T' && rest.front() != 't' && rest.front() != ' ') return std::nullopt;
    if (!rest.empty()) rest.remove_prefix(1);
    return readClock(rest, daysFromCivil(a, b, c));
  }
  if (!readNumber(rest, 1, 2, a) || !expect(rest, '/') || !readNumber(rest, 1, 2, b) || !expect(rest, '/') ||
      !readNumber(rest, 4, 4, c))
    return std::nullopt;
  const unsigned month = order == DateOrder::MonthFirst ? a : b;
  const unsigned day = order == DateOrder::MonthFirst ? b : a;
  if (!validDate(c, month, day)) return std::nullopt;
  return readClock(rest, daysFromCivil(c, month, day));
}

std::string formatDate(std::int64_t seconds) {
  const cartkeep::CivilDate date = cartkeep::civilFromDays((seconds >= 0 ? seconds : seconds - 86399) / 86400);
  char out[48];
  std::snprintf(out, sizeof out, "%04lld-%02u-%02u", static_cast<long long>(date.year), date.month, date.day);
  return out;
}

std::optional<std::int64_t> parseMinor(std::string_view text, int exponent) {
  text = trim(text);
  std::size_t i = 0;
  std::int64_t whole = 0;
  std::size_t digits = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (whole > 1000000000000LL) return std::nullopt;
    whole = whole * 10 + (text[i] - '0');
    ++i, ++digits;
  }
  std::int64_t fraction = 0;
  int places = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (places < exponent) {
        fraction = fraction * 10 + (text[i] - '0');
        ++places;
      } else if (text[i] != '0') {
        return std::nullopt;  // not a whole number of minor units
      }
      ++i, ++digits;
    }
  }
  if (i != text.size() || digits == 0) return std::nullopt;
  while (places < exponent) fraction *= 10, ++places;
  std::int64_t scale = 1;
  for (int k = 0; k < exponent; ++k) scale *= 10;
  return whole * scale + fraction;
}

std::optional<std::int64_t> parseInteger(std::string_view text) {
  text = trim(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 15) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

cartkeep::Result<LogParser> LogParser::create(const LogSchema& schema, const std::vector<std::string_view>& header) {
  LogParser parser;
  parser.schema_ = schema;
  parser.width_ = header.size();
  std::string names;
  for (const auto& h : header) names += (names.empty() ? "" : ",") + std::string(trim(h));
  auto column = [&](const std::string& name, bool required, int& out, const char* option) -> cartkeep::Status {
    if (name.empty()) {
      if (required) return cartkeep::Error{cartkeep::ErrorCode::InvalidArgument, option, "is required"};
      return cartkeep::success();
    }
    for (std::size_t i = 0; i < header.size(); ++i)
      if (trim(header[i]) == name) {
        out = static_cast<int>(i);
        return cartkeep::success();
      }
    // Optional columns named by default may be absent; ones given explicitly must exist.
    if (!required && std::find(schema.explicitColumns.begin(), schema.explicitColumns.end(), name) == schema.explicitColumns.end())
      return cartkeep::success();
    return cartkeep::Error{cartkeep::ErrorCode::InvalidArgument, option,
                           "no column named \"" + name + "\" in the header (" + names + ")"};
  };
  CARTKEEP_TRY(column(schema.basket, true, parser.basket_, "--basket-column"));
  CARTKEEP_TRY(column(schema.item, true, parser.item_, "--item-column"));
  CARTKEEP_TRY(column(schema.time, false, parser.time_, "--time-column"));
  CARTKEEP_TRY(column(schema.quantity, false, parser.quantity_, "--quantity-column"));
  CARTKEEP_TRY(column(schema.event, !schema.event.empty(), parser.event_, "--event-column"));
  CARTKEEP_TRY(column(schema.sequence, !schema.sequence.empty(), parser.sequence_, "--sequence-column"));
  CARTKEEP_TRY(column(schema.title, false, parser.title_, "--title-column"));
  CARTKEEP_TRY(column(schema.price, false, parser.price_, "--price-column"));
  if (!schema.itemPattern.empty()) parser.pattern_.emplace(schema.itemPattern, std::regex::ECMAScript | std::regex::optimize);
  return parser;
}

std::optional<LogLine> LogParser::parse(const std::vector<std::string_view>& fields, std::size_t line) {
  ++stats_.records;
  auto remember = [&](SkippedRow& example, const std::string& column) {
    if (example.line) return;
    example.line = line;
    example.column = column;
    for (std::size_t i = 0; i < fields.size() && example.row.size() < 240; ++i)
      example.row.append(i ? "," : "").append(fields[i].substr(0, 80));
  };
  auto skip = [&](std::size_t& counter, const std::string& column) -> std::optional<LogLine> {
    ++counter;
    remember(stats_.firstSkipped, column);
    return std::nullopt;
  };
  auto bad = [&](std::size_t& counter, const std::string& column) -> std::optional<LogLine> {
    if (!stats_.firstBadLine) stats_.firstBadLine = line;
    remember(stats_.firstUnreadable, column);
    return skip(counter, column);
  };
  if (fields.size() < width_)
    return bad(stats_.shortRows, "(" + std::to_string(fields.size()) + " fields, the header has " + std::to_string(width_) + ")");
  LogLine out;
  out.basket = trim(fields[static_cast<std::size_t>(basket_)]);
  std::string_view item = trim(fields[static_cast<std::size_t>(item_)]);
  if (out.basket.empty() || item.empty()) return skip(stats_.empty, out.basket.empty() ? schema_.basket : schema_.item);
  if (!schema_.cancelledPrefix.empty() && out.basket.substr(0, schema_.cancelledPrefix.size()) == schema_.cancelledPrefix)
    return skip(stats_.cancelled, schema_.basket);
  if (quantity_ >= 0) {
    auto quantity = parseInteger(fields[static_cast<std::size_t>(quantity_)]);
    if (!quantity) return bad(stats_.badQuantity, schema_.quantity);
    if (*quantity <= 0) return skip(stats_.returns, schema_.quantity);
  }
  if (event_ >= 0) {
    std::string value(trim(fields[static_cast<std::size_t>(event_)]));
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(schema_.viewValues.begin(), schema_.viewValues.end(), value) != schema_.viewValues.end())
      out.kind = LineKind::View;
    else if (std::find(schema_.purchaseValues.begin(), schema_.purchaseValues.end(), value) != schema_.purchaseValues.end())
      out.kind = LineKind::Purchase;
    else
      return skip(stats_.otherEvents, schema_.event);
  }
  itemBuffer_.assign(item);
  if (schema_.uppercaseItems)
    std::transform(itemBuffer_.begin(), itemBuffer_.end(), itemBuffer_.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (itemBuffer_.size() > 64) return skip(stats_.empty, schema_.item);
  if (pattern_ && !std::regex_search(itemBuffer_, *pattern_, std::regex_constants::match_continuous))
    return skip(stats_.nonProducts, schema_.item);
  out.item = itemBuffer_;
  if (time_ >= 0) {
    auto time = parseTimestamp(fields[static_cast<std::size_t>(time_)], schema_.dateOrder);
    if (!time) return bad(stats_.badTime, schema_.time);
    out.time = *time;
  }
  if (sequence_ >= 0) out.sequence = trim(fields[static_cast<std::size_t>(sequence_)]);
  if (title_ >= 0) out.title = trim(fields[static_cast<std::size_t>(title_)]);
  if (price_ >= 0) out.price = parseMinor(fields[static_cast<std::size_t>(price_)]);
  ++stats_.used;
  return out;
}

namespace {
std::uint64_t fnv(std::string_view text, std::uint64_t seed) {
  std::uint64_t h = 0xcbf29ce484222325ull ^ seed;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  return h;
}
}  // namespace

void BasketGrouper::remember(const std::string& key) {
  const std::size_t bits = closed_.size() * 64;
  for (std::uint64_t seed : {0ull, 0x9e3779b97f4a7c15ull}) {
    const std::uint64_t bit = fnv(key, seed) % bits;
    closed_[bit / 64] |= 1ull << (bit % 64);
  }
}

bool BasketGrouper::wasClosed(const std::string& key) const {
  const std::size_t bits = closed_.size() * 64;
  for (std::uint64_t seed : {0ull, 0x9e3779b97f4a7c15ull}) {
    const std::uint64_t bit = fnv(key, seed) % bits;
    if (!(closed_[bit / 64] & (1ull << (bit % 64)))) return false;
  }
  return true;
}

void BasketGrouper::close(std::list<Basket>::iterator it) {
  Basket basket = std::move(*it);
  byKey_.erase(basket.kind == LineKind::View ? basket.id + "\x1fv" : basket.id);
  open_.erase(it);
  remember(basket.kind == LineKind::View ? basket.id + "\x1fv" : basket.id);
  sink_(std::move(basket));
}

void BasketGrouper::add(std::string_view basket, LineKind kind, std::uint32_t item, std::int64_t time) {
  std::string key(basket);
  if (kind == LineKind::View) key += "\x1fv";
  auto found = byKey_.find(key);
  if (found == byKey_.end()) {
    if (wasClosed(key)) ++reopened_;
    if (open_.size() >= maxOpen_) close(open_.begin());
    open_.push_back(Basket{std::string(basket), time, kind, {}});
    found = byKey_.emplace(key, std::prev(open_.end())).first;
    peakOpen_ = std::max(peakOpen_, open_.size());
  } else if (std::next(found->second) != open_.end()) {
    open_.splice(open_.end(), open_, found->second);  // most recently touched last
  }
  Basket& b = *found->second;
  b.time = std::min(b.time, time);
  if (std::find(b.items.begin(), b.items.end(), item) == b.items.end()) b.items.push_back(item);
}

void BasketGrouper::flush() {
  while (!open_.empty()) close(open_.begin());
}

std::uint32_t ItemTable::intern(std::string_view id) {
  auto found = byId_.find(std::string(id));
  if (found != byId_.end()) return found->second;
  const auto item = static_cast<std::uint32_t>(ids_.size());
  ids_.emplace_back(id);
  byId_.emplace(ids_.back(), item);
  titles_.emplace_back();
  prices_.emplace_back();
  return item;
}

std::optional<std::uint32_t> ItemTable::find(std::string_view id) const {
  auto found = byId_.find(std::string(id));
  if (found == byId_.end()) return std::nullopt;
  return found->second;
}

void ItemTable::observe(std::uint32_t item, std::string_view title, std::optional<std::int64_t> price) {
  // Only a handful of distinct values are tracked per item: memory stays bounded by the item count.
  constexpr std::size_t kMaxDistinct = 8;
  if (!title.empty() && price && *price > 0) {
    auto& titles = titles_[item];
    auto it = titles.find(std::string(title));
    if (it != titles.end()) ++it->second;
    else if (titles.size() < kMaxDistinct) titles.emplace(std::string(title), 1);
  }
  if (price && *price > 0) {
    auto& prices = prices_[item];
    auto it = prices.find(*price);
    if (it != prices.end()) ++it->second;
    else if (prices.size() < kMaxDistinct) prices.emplace(*price, 1);
  }
}

std::string ItemTable::title(std::uint32_t item) const {
  const auto& titles = titles_[item];
  const std::string* best = nullptr;
  std::uint32_t count = 0;
  for (const auto& [title, n] : titles)
    if (n > count) best = &title, count = n;  // ties: the smaller title (map order)
  return best ? *best : ids_[item];
}

std::optional<std::int64_t> ItemTable::price(std::uint32_t item) const {
  std::optional<std::int64_t> best;
  std::uint32_t count = 0;
  for (const auto& [price, n] : prices_[item])
    if (n > count) best = price, count = n;
  return best;
}

}  // namespace suggest_index
