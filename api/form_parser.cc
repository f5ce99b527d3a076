#include "api/form_parser.h"

#include <algorithm>

#include "core/utf8.h"

namespace fieldpost {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  // Decoding only shortens: the text's size is room enough, and nothing
  // grows the string byte by byte.
  std::string out(text.size(), '\0');
  std::size_t size = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return InvalidArgument("malformed percent-encoding at byte " + std::to_string(i));
      }
      out[size++] = static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out[size++] = c == '+' && plus_is_space ? ' ' : c;
    }
  }
  out.resize(size);
  if (!IsValidUtf8(out)) return InvalidEncoding("parameter is not valid UTF-8");
  return out;
}

Result<Params> ParseFormEncoded(std::string_view text) {
  Params params;
  // Room for the usual few pairs at once; bounded, so that a text of
  // empty pieces ("&&&&…") cannot make it reserve more than it holds.
  if (!text.empty()) {
    params.reserve(std::min<std::size_t>(std::count(text.begin(), text.end(), '&') + 1, 16));
  }
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    auto name = PercentDecode(piece.substr(0, eq), true);
    if (!name.ok()) return name.status();
    std::string value;
    if (eq != std::string_view::npos) {
      auto decoded = PercentDecode(piece.substr(eq + 1), true);
      if (!decoded.ok()) return decoded.status();
      value = std::move(decoded).value();
    }
    params.emplace_back(std::move(name).value(), std::move(value));
  }
  return params;
}

const std::string* FindParam(const Params& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return &value;
  }
  return nullptr;
}

}  // namespace fieldpost
