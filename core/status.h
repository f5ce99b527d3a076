// Status is fieldpost's one error type: every fallible call returns a Status
// or a Result<T>. Codes name what went wrong from the caller's point of view;
// api/http_errors.cc is the single place that maps them to HTTP.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace fieldpost {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // malformed or out-of-range client input
  kUnauthorized,      // unknown key, or a key without the right to do this
  kNotFound,          // the addressed resource does not exist
  kMethodNotAllowed,  // the path exists but not for this method
  kPayloadTooLarge,   // request body over the configured limit
  kUriTooLong,        // request target over the limit
  kInvalidEncoding,   // bytes that are not valid UTF-8
  kTooManyRequests,   // a write sooner than the channel's minimum interval
  kStorageFull,       // map or disk full even after growing the map
  kUnavailable,       // shutting down, or the database unreachable
  kNotImplemented,    // a request feature the server does not support (a transfer coding)
  kInternal,          // a bug or an unexpected library failure
};

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status Unauthorized(std::string m) { return {StatusCode::kUnauthorized, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status InvalidEncoding(std::string m) {
  return {StatusCode::kInvalidEncoding, std::move(m)};
}
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Result<T> holds either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace fieldpost
