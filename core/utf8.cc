#include "core/utf8.h"

#include <algorithm>
#include <cstdio>

namespace fieldpost {
namespace {

// The length of the valid UTF-8 sequence at `p` (1 for ASCII), or 0 when
// the bytes there are not one.
int SequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = *p;
  if (c < 0x80) return 1;
  int length;
  unsigned char min_second = 0x80, max_second = 0xBF;  // bounds exclude overlongs/surrogates
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) min_second = 0xA0;
    if (c == 0xED) max_second = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) min_second = 0x90;
    if (c == 0xF4) max_second = 0x8F;
  } else {
    return 0;
  }
  if (end - p < length) return 0;
  if (p[1] < min_second || p[1] > max_second) return 0;
  for (int i = 2; i < length; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
  }
  return length;
}

// C1 controls (U+0080 to U+009F: NEL, CSI) and the line and paragraph
// separators (U+2028, U+2029): valid, but they break a line or drive a
// terminal as a control byte does.
bool BreaksLines(const unsigned char* p, int length) {
  return (length == 2 && p[0] == 0xC2 && p[1] <= 0x9F) ||
         (length == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9));
}

}  // namespace

bool IsValidUtf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  while (p < end) {
    if (*p < 0x80) {  // most values are ASCII throughout
      ++p;
      continue;
    }
    const int length = SequenceLength(p, end);
    if (length == 0) return false;
    p += length;
  }
  return true;
}

std::string QuoteBytes(std::string_view bytes, std::size_t max_chars) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  std::string out = "'";
  for (std::size_t chars = 0; p < end; ++chars) {
    if (chars == max_chars) {
      out += "...";
      break;
    }
    const unsigned char c = *p;
    const int length = SequenceLength(p, end);
    if (c == '\'' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F || length == 0 || BreaksLines(p, length)) {
      // A whole C1 control or separator, else the one byte.
      const int escaped_bytes = std::max(length, 1);
      for (int i = 0; i < escaped_bytes; ++i) {
        char escaped[5];
        std::snprintf(escaped, sizeof escaped, "\\x%02X", p[i]);
        out += escaped;
      }
      p += escaped_bytes;
      continue;
    } else {
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(length));
      p += length;
      continue;
    }
    ++p;
  }
  return out + "'";
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  const auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace fieldpost
