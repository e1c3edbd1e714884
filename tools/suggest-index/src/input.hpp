#pragma once
// Reads a log file (plain or gzip, or "-" for stdin) in chunks and hands each mapped line to a callback.
#include <functional>
#include <string>

#include "cartkeep/error.hpp"
#include "log.hpp"

namespace suggest_index {

struct ReadReport {
  std::size_t bytes = 0;  // uncompressed bytes read
  std::size_t lines = 0;
  LogStats stats;
};

// Streams `path` through the CSV reader and the log parser; `onLine` sees every line that passes the
// filters. Errors: the file cannot be read, the header lacks a column, the file ends inside quotes.
cartkeep::Result<ReadReport> readLog(const std::string& path, const LogSchema& schema, char delimiter,
                                     const std::function<void(const LogLine&)>& onLine);

bool gzipSupported() noexcept;

}  // namespace suggest_index
