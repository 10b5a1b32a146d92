#include "backup/http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "hparams/error.hpp"

namespace hparams::backup {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Body {
  std::string* text;
  std::size_t limit;
  bool exceeded = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  if (body->text->size() + size * count > body->limit) {
    body->exceeded = true;
    return 0;  // libcurl stops the transfer (CURLE_WRITE_ERROR)
  }
  body->text->append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* headers = static_cast<Headers*>(user);
  std::string_view line(data, size * count);
  if (line.substr(0, 5) == "HTTP/") {
    headers->clear();  // a new response (after 100 Continue): its own headers only
    return size * count;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    headers->emplace_back(std::move(name), std::string(value));
  }
  return size * count;
}

std::string between(std::string_view body, std::string_view open, std::string_view close) {
  auto begin = body.find(open);
  if (begin == std::string_view::npos) return {};
  begin += open.size();
  auto end = body.find(close, begin);
  if (end == std::string_view::npos) return {};
  return std::string(body.substr(begin, end - begin));
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::pair<std::optional<HttpResponse>, TransportError> send_once(const HttpRequest& request,
                                                                 std::chrono::milliseconds timeout,
                                                                 std::size_t max_body) {
  global_init();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return {std::nullopt, {"curl_easy_init failed"}};
  HttpResponse response;
  curl_slist* list = nullptr;
  for (const auto& [name, value] : request.headers) {
    list = curl_slist_append(list, (name + ": " + value).c_str());
  }
  // libcurl adds these unless told not to; the signed requests must carry exactly ours.
  list = curl_slist_append(list, "Expect:");
  bool has_content_type = std::any_of(request.headers.begin(), request.headers.end(),
                                      [](const auto& h) { return h.first == "content-type"; });
  if (!has_content_type) list = curl_slist_append(list, "Content-Type:");
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<long long>(timeout.count(), 10000)));
  Body body{&response.body, max_body};
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_body));
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
  CURLcode code = curl_easy_perform(curl);
  TransportError error;
  if (code == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  } else if (body.exceeded || code == CURLE_FILESIZE_EXCEEDED) {
    error.message =
        "the response is larger than the limit of " + std::to_string(max_body) + " bytes";
    error.final = true;
  } else {
    error.message = curl_easy_strerror(code);
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) return {std::nullopt, error};
  return {std::move(response), error};
}

bool retryable_status(long status) { return status == 408 || status == 429 || status >= 500; }

HttpResponse send(const std::function<HttpRequest()>& make, const RetryPolicy& policy,
                  std::string_view what, int* attempts) {
  thread_local std::mt19937_64 random(std::random_device{}());
  auto start = std::chrono::steady_clock::now();
  auto delay = policy.initial_delay;
  std::string last;
  int attempt = 0;
  for (;;) {
    ++attempt;
    if (attempts != nullptr) *attempts = attempt;
    HttpRequest request = make();
    auto [response, error] = send_once(request, policy.timeout, policy.max_body);
    if (response && !retryable_status(response->status)) return std::move(*response);
    last = response ? "HTTP " + std::to_string(response->status) + " " + error_summary(*response)
                    : (error.final ? "" : "connection failed: ") + error.message;
    if (error.final) break;
    auto elapsed = std::chrono::steady_clock::now() - start;
    // Full jitter: a uniform wait in [0, delay], so that many clients do not retry in step.
    auto wait = std::chrono::milliseconds(
        std::uniform_int_distribution<long long>(0, std::max<long long>(0, delay.count()))(random));
    if (attempt >= policy.max_attempts || elapsed + wait >= policy.deadline) break;
    std::this_thread::sleep_for(wait);
    delay = std::min(policy.max_delay, delay * 2);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ostringstream message;
  message.precision(2);
  message << std::string(what) << ": " << last << " (gave up after " << attempt
          << (attempt == 1 ? " attempt" : " attempts") << " in " << std::fixed << seconds << " s)";
  throw Error(ErrorKind::IOError, message.str());
}

std::string url_encode(std::string_view text, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string error_summary(const HttpResponse& response) {
  std::string out;
  std::string code = between(response.body, "<Code>", "</Code>");
  if (!code.empty()) {
    out = code;
    std::string message = between(response.body, "<Message>", "</Message>");
    if (!message.empty()) out += ": " + message;
  } else {
    // The JSON APIs: {"error": {"message": "..."}} or {"error": "...", "error_description": ...}
    std::string message = between(response.body, "\"message\": \"", "\"");
    if (message.empty()) message = between(response.body, "\"message\":\"", "\"");
    if (message.empty()) message = between(response.body, "\"error_description\": \"", "\"");
    if (message.empty()) message = between(response.body, "\"error_description\":\"", "\"");
    out = message;
  }
  if (out.size() > 200) out = out.substr(0, 197) + "...";
  return out;
}

void fail_response(const std::string& uri, const HttpResponse& response) {
  std::string summary = error_summary(response);
  throw Error(ErrorKind::IOError, uri + ": HTTP " + std::to_string(response.status) +
                                      (summary.empty() ? "" : " " + summary));
}

}  // namespace hparams::backup
