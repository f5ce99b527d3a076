// How a request says where its body ends (RFC 9112 section 6), checked
// before any of the body is read, as nginx checks it: a request whose
// framing two parties could read differently (two lengths, a length beside
// chunked, a coding the server cannot undo) is answered at once and its
// connection closed, never guessed at. Pure: the headers in, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace fieldpost {

// `headers`: names lower-case, in the order received. The Content-Length
// when one is given (none for a chunked body or no body). InvalidArgument
// (400) for more than one Content-Length or Transfer-Encoding header, a
// Content-Length that is not a decimal number, both headers at once, or a
// Transfer-Encoding in HTTP/1.0; NotImplemented (501) for any coding but a
// lone "chunked".
Result<std::optional<std::uint64_t>> CheckFraming(
    const std::vector<std::pair<std::string, std::string>>& headers, bool http_1_0);

}  // namespace fieldpost
