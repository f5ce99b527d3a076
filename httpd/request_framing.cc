#include "httpd/request_framing.h"

#include <charconv>
#include <string_view>

#include "core/utf8.h"

namespace fieldpost {
namespace {

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<std::optional<std::uint64_t>> CheckFraming(
    const std::vector<std::pair<std::string, std::string>>& headers, bool http_1_0) {
  const std::string* length = nullptr;
  const std::string* coding = nullptr;
  for (const auto& [name, value] : headers) {
    if (name == "content-length") {
      if (length != nullptr) return InvalidArgument("more than one Content-Length header");
      length = &value;
    } else if (name == "transfer-encoding") {
      if (coding != nullptr) return InvalidArgument("more than one Transfer-Encoding header");
      coding = &value;
    }
  }
  if (coding != nullptr) {
    if (http_1_0) return InvalidArgument("Transfer-Encoding in an HTTP/1.0 request");
    if (length != nullptr) return InvalidArgument("both Content-Length and Transfer-Encoding");
    // Exactly as MHD compares it (it has dropped leading whitespace):
    // "chunked " would leave MHD reading a body of unknown length.
    if (!EqualsIgnoringAsciiCase(*coding, "chunked")) {
      return Status(StatusCode::kNotImplemented,
                    "Transfer-Encoding other than chunked is not supported");
    }
  }
  if (length == nullptr) return std::optional<std::uint64_t>();
  {
    const std::string_view digits = Trimmed(*length);
    std::uint64_t bytes = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), bytes);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
      return InvalidArgument("Content-Length is not a number");
    }
    return std::optional<std::uint64_t>(bytes);
  }
}

}  // namespace fieldpost
