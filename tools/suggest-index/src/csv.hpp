#pragma once
// Streaming RFC 4180 CSV: bytes arrive in chunks of any size, records come out whole. Quoted fields may
// hold the delimiter, doubled quotes and line breaks. Memory: one record at a time.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace suggest_index {

class CsvReader {
 public:
  // fields are valid during the call; line is the 1-based line where the record starts.
  using Sink = std::function<void(const std::vector<std::string_view>& fields, std::size_t line)>;

  explicit CsvReader(Sink sink, char delimiter = ',') : sink_(std::move(sink)), delimiter_(delimiter) {}

  void feed(std::string_view chunk);
  // Emits a last record without a final line break. Returns false if it ended inside quotes.
  bool finish();
  std::size_t lines() const noexcept { return line_; }
  std::size_t records() const noexcept { return records_; }

 private:
  void emit();

  Sink sink_;
  char delimiter_;
  std::string field_;               // the current field, unescaped
  std::string text_;                // fields of the current record, back to back
  std::vector<std::size_t> ends_;   // end offset of each field in text_
  std::vector<std::string_view> views_;
  bool inQuotes_ = false;
  bool quoteSeen_ = false;  // a quote just closed (or was doubled)
  bool fieldStarted_ = false;
  std::size_t bomSeen_ = 0;  // bytes of a leading byte order mark consumed (3: done)
  bool pendingCr_ = false;
  std::size_t line_ = 1;
  std::size_t recordLine_ = 1;
  std::size_t records_ = 0;
};

}  // namespace suggest_index
