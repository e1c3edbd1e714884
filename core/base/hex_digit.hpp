#pragma once
// The value of one hexadecimal digit, for the percent-decoding of URLs and resume links.

namespace cartkeep {

// 0-15, or -1 for anything that is not a hexadecimal digit.
inline int hexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace cartkeep
