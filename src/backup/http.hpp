// HTTP for the object-storage clients: libcurl underneath (no curl type leaves this file
// pair), bounded retries with exponential backoff and full jitter.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hparams::backup {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
};

struct HttpResponse {
  long status = 0;
  Headers headers;  ///< names lower-cased
  std::string body;
  /// The value of a header (name lower-case), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

/// Bounds of the retries of one operation.
struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds initial_delay{200};  ///< the first backoff; doubled each time
  std::chrono::milliseconds max_delay{5000};     ///< the cap of one backoff
  std::chrono::milliseconds deadline{60000};     ///< no new attempt after this much time
  std::chrono::milliseconds timeout{30000};      ///< one attempt, connection to last byte
  /// The largest response body read (whatever Content-Length says): a server that streams
  /// forever fails the request instead of exhausting memory. Not retried.
  std::size_t max_body = std::size_t{256} << 20;
};

/// A transport failure (connection refused or dropped, timeout): the curl message.
/// `final` when retrying cannot help (the body exceeded max_body).
struct TransportError {
  std::string message;
  bool final = false;
};

/// Sends one request. Returns the response, or the transport failure.
std::pair<std::optional<HttpResponse>, TransportError> send_once(
    const HttpRequest& request, std::chrono::milliseconds timeout,
    std::size_t max_body = std::size_t{256} << 20);

/// Whether a status is worth retrying: 408, 429 and 5xx.
bool retryable_status(long status);

/// Sends `make()` (called again for each attempt, so that signatures and tokens are fresh)
/// until the response is not retryable or the policy is exhausted. Returns the last response;
/// throws an IOError naming `what` (the URI, never a credential), the last status or transport
/// error, and the attempts made. `attempts`, when given, receives the number of attempts.
HttpResponse send(const std::function<HttpRequest()>& make, const RetryPolicy& policy,
                  std::string_view what, int* attempts = nullptr);

/// RFC 3986 percent-encoding of everything but unreserved characters (and '/' if kept).
std::string url_encode(std::string_view text, bool keep_slash = false);

/// A short, credential-free description of an error response body: S3's <Code>/<Message>,
/// or the JSON API's error message; at most 200 characters.
std::string error_summary(const HttpResponse& response);

/// Throws the IOError of an unexpected response: `URI: HTTP STATUS summary`.
[[noreturn]] void fail_response(const std::string& uri, const HttpResponse& response);

}  // namespace hparams::backup
