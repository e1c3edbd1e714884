#include "csv.hpp"

namespace suggest_index {

void CsvReader::emit() {
  text_ += field_;
  ends_.push_back(text_.size());
  field_.clear();
  views_.clear();
  std::size_t begin = 0;
  for (std::size_t end : ends_) {
    views_.emplace_back(text_.data() + begin, end - begin);
    begin = end;
  }
  // A blank line is not a record.
  if (!(views_.size() == 1 && views_[0].empty())) {
    ++records_;
    sink_(views_, recordLine_);
  }
  text_.clear();
  ends_.clear();
  fieldStarted_ = false;
  quoteSeen_ = false;
}

void CsvReader::feed(std::string_view chunk) {
  std::size_t i = 0;
  // A byte order mark may arrive split over chunks; a partial one that turns out not to be is data.
  static const char kBom[] = "\xEF\xBB\xBF";
  while (bomSeen_ < 3 && i < chunk.size()) {
    if (chunk[i] != kBom[bomSeen_]) {
      field_.append(kBom, bomSeen_);
      if (bomSeen_) fieldStarted_ = true;
      bomSeen_ = 3;
      break;
    }
    ++bomSeen_, ++i;
  }
  for (; i < chunk.size(); ++i) {
    const char c = chunk[i];
    if (pendingCr_) {
      pendingCr_ = false;
      if (c == '\n') continue;  // \r\n
    }
    if (inQuotes_) {
      if (c == '"') {
        inQuotes_ = false;
        quoteSeen_ = true;
      } else {
        if (c == '\n') ++line_;
        field_ += c;
      }
      continue;
    }
    if (c == '"') {
      if (quoteSeen_) field_ += '"';       // "" inside a quoted field
      else if (!fieldStarted_ || field_.empty()) {
        fieldStarted_ = true;
      } else {
        field_ += c;  // a stray quote inside an unquoted field stays literal
        continue;
      }
      inQuotes_ = true;
      quoteSeen_ = false;
      continue;
    }
    quoteSeen_ = false;
    if (c == delimiter_) {
      text_ += field_;
      ends_.push_back(text_.size());
      field_.clear();
      fieldStarted_ = false;
    } else if (c == '\n' || c == '\r') {
      emit();
      ++line_;
      recordLine_ = line_;
      pendingCr_ = c == '\r';
    } else {
      fieldStarted_ = true;
      field_ += c;
    }
  }
}

bool CsvReader::finish() {
  const bool complete = !inQuotes_;
  if (!field_.empty() || !ends_.empty() || fieldStarted_) emit();
  inQuotes_ = false;
  return complete;
}

}  // namespace suggest_index
