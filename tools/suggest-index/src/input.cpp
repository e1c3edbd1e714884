#include "input.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#ifdef SUGGEST_INDEX_HAVE_ZLIB
#include <zlib.h>
#endif

#include "base/json_fields.hpp"
#include "csv.hpp"

namespace suggest_index {
namespace {

cartkeep::Error fail(const std::string& path, std::string message) {
  return cartkeep::Error{cartkeep::ErrorCode::InvalidArgument, path, std::move(message)};
}

class Input {
 public:
  ~Input() {
#ifdef SUGGEST_INDEX_HAVE_ZLIB
    if (gz_) gzclose(gz_);
#else
    if (file_ && file_ != stdin) std::fclose(file_);
#endif
  }

  cartkeep::Status open(const std::string& path) {
    path_ = path;
#ifdef SUGGEST_INDEX_HAVE_ZLIB
    gz_ = path == "-" ? gzdopen(0, "rb") : gzopen(path.c_str(), "rb");
    if (!gz_) return fail(path, std::string("cannot open: ") + std::strerror(errno));
    gzbuffer(gz_, 1 << 17);
#else
    file_ = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (!file_) return fail(path, std::string("cannot open: ") + std::strerror(errno));
    const int first = std::fgetc(file_);
    const int second = first == EOF ? EOF : std::fgetc(file_);
    if (first == 0x1F && second == 0x8B)
      return fail(path, "is gzip-compressed, and this build has no zlib: decompress it (zcat file | suggest-index ... -)");
    pushback_.clear();
    if (first != EOF) pushback_.push_back(static_cast<char>(first));
    if (second != EOF) pushback_.push_back(static_cast<char>(second));
#endif
    return cartkeep::success();
  }

  cartkeep::Result<std::size_t> read(char* buffer, std::size_t size) {
#ifdef SUGGEST_INDEX_HAVE_ZLIB
    const int n = gzread(gz_, buffer, static_cast<unsigned>(size));
    if (n < 0) {
      int code = 0;
      const char* message = gzerror(gz_, &code);
      return fail(path_, std::string("read failed: ") + (message ? message : "unknown error") +
                             (code == Z_BUF_ERROR ? " (the gzip data ends early: truncated download?)" : ""));
    }
    if (n == 0) {
      int code = 0;
      gzerror(gz_, &code);
      if (code == Z_BUF_ERROR) return fail(path_, "the gzip data ends early (truncated download?)");
    }
    return static_cast<std::size_t>(n);
#else
    std::size_t n = 0;
    while (!pushback_.empty() && n < size) {
      buffer[n++] = pushback_.front();
      pushback_.erase(pushback_.begin());
    }
    n += std::fread(buffer + n, 1, size - n, file_);
    if (std::ferror(file_)) return fail(path_, std::string("read failed: ") + std::strerror(errno));
    return n;
#endif
  }

 private:
  std::string path_;
#ifdef SUGGEST_INDEX_HAVE_ZLIB
  gzFile gz_ = nullptr;
#else
  std::FILE* file_ = nullptr;
  std::string pushback_;
#endif
};

}  // namespace

bool gzipSupported() noexcept {
#ifdef SUGGEST_INDEX_HAVE_ZLIB
  return true;
#else
  return false;
#endif
}

cartkeep::Result<ReadReport> readLog(const std::string& path, const LogSchema& schema, char delimiter,
                                     const std::function<void(const LogLine&)>& onLine) {
  Input input;
  CARTKEEP_TRY(input.open(path));
  ReadReport report;
  std::optional<LogParser> parser;
  std::optional<cartkeep::Error> failure;
  CsvReader csv(
      [&](const std::vector<std::string_view>& fields, std::size_t line) {
        if (failure) return;
        if (!parser) {
          auto created = LogParser::create(schema, fields);
          if (!created) {
            failure = created.error();
            return;
          }
          parser.emplace(std::move(created).value());
          return;
        }
        if (auto mapped = parser->parse(fields, line)) onLine(*mapped);
      },
      delimiter);
  std::vector<char> buffer(1 << 18);
  for (;;) {
    CARTKEEP_TRY_ASSIGN(std::size_t n, input.read(buffer.data(), buffer.size()));
    if (n == 0) break;
    report.bytes += n;
    csv.feed(std::string_view(buffer.data(), n));
    if (failure) break;
  }
  if (failure) {
    cartkeep::Error error = *failure;
    error.message = path + ": " + error.message;
    return error;
  }
  if (!csv.finish()) return fail(path, "ends inside a quoted field (line " + std::to_string(csv.lines()) + "): truncated file?");
  if (!parser) return fail(path, "is empty: no header line");
  report.lines = csv.lines();
  report.stats = parser->stats();
  return report;
}

}  // namespace suggest_index
