#pragma once
// From CSV records of an order (or click) log to baskets: column mapping, timestamps, filters for
// cancellations, returns and non-product codes, and grouping of lines into baskets with bounded memory.
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cartkeep/error.hpp"

namespace suggest_index {

enum class DateOrder { MonthFirst, DayFirst };

// "2011-11-01T08:26:00", "2011-11-01 08:26", "2011-11-01", "12/1/2010 8:26" (M/D/Y unless day-first),
// "2011-11-01T08:26:00.5+01:00" (an offset or Z is applied; without one the wall-clock time is read as UTC),
// Unix seconds with or without a fraction ("1396860669.277") or Unix milliseconds -> whole Unix seconds.
std::optional<std::int64_t> parseTimestamp(std::string_view text, DateOrder order = DateOrder::MonthFirst);
std::string formatDate(std::int64_t seconds);  // "2011-11-01"
// "2.55" -> 255, "12" -> 1200, "0.5" -> 50 (exponent 2); nullopt for negatives, junk or more decimals.
std::optional<std::int64_t> parseMinor(std::string_view text, int exponent = 2);
// Whole numbers only ("6", "-12"); nullopt otherwise.
std::optional<std::int64_t> parseInteger(std::string_view text);

struct LogSchema {
  std::string basket = "InvoiceNo";  // required: what groups lines into a basket (order, session)
  std::string item = "StockCode";    // required
  std::string time = "InvoiceDate";  // optional ("" for none): decay and the evaluation split need it
  std::string quantity = "Quantity"; // optional: lines with quantity <= 0 are returns or adjustments
  std::string event;                 // optional: event type column (views vs purchases)
  // optional: what orders baskets into one sequence of events (a customer's invoices in time); "" for none,
  // then each view session is a sequence. Lines with an empty value are a sequence of their basket alone.
  std::string sequence;
  std::string title = "Description"; // optional: used by the evaluation's catalog
  std::string price = "UnitPrice";   // optional: used by the evaluation's catalog
  std::vector<std::string> viewValues{"view", "detail", "click"};
  std::vector<std::string> purchaseValues{"purchase", "order", "transaction", "buy"};
  std::string cancelledPrefix = "C";  // baskets whose id starts with this are cancellations ("" to keep all)
  std::string itemPattern;            // ECMAScript regex a product id must match at its start ("" for all)
  bool uppercaseItems = true;
  std::vector<std::string> explicitColumns;  // named on the command line: must exist
  DateOrder dateOrder = DateOrder::MonthFirst;
};

enum class LineKind { Purchase, View };

struct LogLine {
  std::string_view basket;
  std::string_view sequence;  // empty without a sequence column or value
  std::string_view item;  // normalised
  std::int64_t time = 0;
  LineKind kind = LineKind::Purchase;
  std::string_view title;
  std::optional<std::int64_t> price;
};

// A row the parser skipped, kept to show in a message: the line, the column that decided, the row's text.
struct SkippedRow {
  std::size_t line = 0;  // 0: none seen
  std::string column;
  std::string row;
};

struct LogStats {
  std::size_t records = 0;  // data records read (the header excluded)
  std::size_t used = 0;
  std::size_t cancelled = 0;
  std::size_t returns = 0;      // quantity <= 0
  std::size_t nonProducts = 0;  // item id not matching the pattern
  std::size_t shortRows = 0;
  std::size_t badTime = 0;
  std::size_t badQuantity = 0;
  std::size_t empty = 0;         // no basket or item id
  std::size_t otherEvents = 0;   // event type neither a view nor a purchase
  std::size_t firstBadLine = 0;  // line of the first short or unreadable row, for the report
  SkippedRow firstUnreadable;    // the first short row or unreadable time or quantity
  SkippedRow firstSkipped;       // the first row left out for any reason
  // Rows that could not be read (short rows, unreadable times and quantities), as opposed to ones filtered.
  std::size_t unreadable() const noexcept { return shortRows + badTime + badQuantity; }
};

class LogParser {
 public:
  // Maps the header; the error names a missing column and lists the header.
  static cartkeep::Result<LogParser> create(const LogSchema& schema, const std::vector<std::string_view>& header);
  // The line, or nullopt when filtered (counted in stats()).
  std::optional<LogLine> parse(const std::vector<std::string_view>& fields, std::size_t line);
  const LogStats& stats() const noexcept { return stats_; }

 private:
  LogSchema schema_;
  int basket_ = -1, sequence_ = -1, item_ = -1, time_ = -1, quantity_ = -1, event_ = -1, title_ = -1, price_ = -1;
  std::size_t width_ = 0;
  std::optional<std::regex> pattern_;
  std::string itemBuffer_;
  LogStats stats_;
};

// Groups lines into baskets without assuming the log is sorted: up to `maxOpen` baskets stay open;
// the least recently touched one closes first. A basket id seen again after closing starts a new
// basket (counted in reopened()). Each closed basket goes to the sink once, with distinct items.
struct Basket {
  std::string id;
  std::int64_t time = 0;  // earliest line
  LineKind kind = LineKind::Purchase;
  std::vector<std::uint32_t> items;  // distinct, in first-seen order
};

class BasketGrouper {
 public:
  using Sink = std::function<void(Basket&&)>;
  BasketGrouper(Sink sink, std::size_t maxOpen) : sink_(std::move(sink)), maxOpen_(maxOpen < 1 ? 1 : maxOpen) {}

  void add(std::string_view basket, LineKind kind, std::uint32_t item, std::int64_t time);
  void flush();  // closes every open basket, oldest first
  std::size_t reopened() const noexcept { return reopened_; }  // approximate
  std::size_t peakOpen() const noexcept { return peakOpen_; }

 private:
  void close(std::list<Basket>::iterator it);
  void remember(const std::string& key);
  bool wasClosed(const std::string& key) const;  // may say yes wrongly (rarely): a Bloom filter

  Sink sink_;
  std::size_t maxOpen_;
  std::list<Basket> open_;  // most recently touched at the back
  std::unordered_map<std::string, std::list<Basket>::iterator> byKey_;
  std::vector<std::uint64_t> closed_ = std::vector<std::uint64_t>(1u << 17);  // 8 Mbit Bloom filter of closed ids
  std::size_t reopened_ = 0;
  std::size_t peakOpen_ = 0;
};

// Item ids <-> dense numbers, with per-item facts the evaluation's catalog needs.
class ItemTable {
 public:
  std::uint32_t intern(std::string_view id);
  std::optional<std::uint32_t> find(std::string_view id) const;
  const std::string& id(std::uint32_t item) const { return ids_[item]; }
  std::size_t size() const noexcept { return ids_.size(); }
  // Most frequent title and price of the item (bounded: a few distinct values per item are tracked).
  void observe(std::uint32_t item, std::string_view title, std::optional<std::int64_t> price);
  std::string title(std::uint32_t item) const;
  std::optional<std::int64_t> price(std::uint32_t item) const;

 private:
  std::vector<std::string> ids_;
  std::unordered_map<std::string, std::uint32_t> byId_;
  std::vector<std::map<std::string, std::uint32_t>> titles_;
  std::vector<std::map<std::int64_t, std::uint32_t>> prices_;
};

}  // namespace suggest_index
