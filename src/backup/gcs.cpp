// gs://: the GCS JSON API (simple media upload, object metadata, download). Credentials in
// the order Google's clients look for them: GOOGLE_APPLICATION_CREDENTIALS, gcloud's
// application-default credentials, the metadata server. STORAGE_EMULATOR_HOST switches to an
// emulator without authentication.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "backup/crypto.hpp"
#include "backup/stores.hpp"
#include "hparams/error.hpp"

namespace hparams::backup {
namespace {

using json = nlohmann::json;

std::string with_scheme(std::string endpoint) {
  if (endpoint.find("://") == std::string::npos) endpoint = "http://" + endpoint;
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  return endpoint;
}

// Access tokens: where they come from, and the cached one.
class TokenSource {
 public:
  explicit TokenSource(RetryPolicy retry) : retry_(retry) { discover(); }

  std::string token() {
    std::lock_guard<std::mutex> guard(mutex_);
    auto now = std::chrono::steady_clock::now();
    if (token_.empty() || now + std::chrono::seconds(60) >= expiry_) refresh();
    return token_;
  }

 private:
  enum class Kind { ServiceAccount, AuthorizedUser, Metadata };

  void discover() {
    std::string file = env("GOOGLE_APPLICATION_CREDENTIALS");
    if (!file.empty()) {
      read_file(file, "GOOGLE_APPLICATION_CREDENTIALS");
      return;
    }
    std::string config = env("CLOUDSDK_CONFIG");
    if (config.empty()) config = env("HOME") + "/.config/gcloud";
    std::string adc = config + "/application_default_credentials.json";
    if (std::ifstream(adc).good()) {
      read_file(adc, "gcloud's application default credentials");
      return;
    }
    kind_ = Kind::Metadata;
    std::string host = env("GCE_METADATA_HOST");
    if (host.empty()) host = "metadata.google.internal";
    source_ = "the metadata server " + host;
    token_url_ = with_scheme(host) + "/computeMetadata/v1/instance/service-accounts/default/token";
  }

  void read_file(const std::string& path, const std::string& what) {
    std::ifstream in(path);
    if (!in) throw Error(ErrorKind::ConfigError, "cannot read " + what + " file " + path);
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      throw Error(ErrorKind::ConfigError, what + " file " + path + " is not JSON");
    }
    std::string type = j.value("type", "");
    source_ = what + " (" + path + ")";
    if (type == "service_account") {
      kind_ = Kind::ServiceAccount;
      email_ = j.value("client_email", "");
      key_ = j.value("private_key", "");
      key_id_ = j.value("private_key_id", "");
      token_url_ = j.value("token_uri", "https://oauth2.googleapis.com/token");
      if (email_.empty() || key_.empty()) {
        throw Error(ErrorKind::ConfigError, source_ + ": no client_email or private_key");
      }
    } else if (type == "authorized_user") {
      kind_ = Kind::AuthorizedUser;
      client_id_ = j.value("client_id", "");
      client_secret_ = j.value("client_secret", "");
      refresh_token_ = j.value("refresh_token", "");
      token_url_ = j.value("token_uri", "https://oauth2.googleapis.com/token");
      if (client_id_.empty() || refresh_token_.empty()) {
        throw Error(ErrorKind::ConfigError, source_ + ": no client_id or refresh_token");
      }
    } else {
      throw Error(ErrorKind::ConfigError,
                  source_ + ": credentials of type '" + type +
                      "' are not supported (service_account or authorized_user)");
    }
  }

  void refresh() {
    HttpRequest request;
    if (kind_ == Kind::Metadata) {
      request = {"GET", token_url_, {{"metadata-flavor", "Google"}}, ""};
    } else if (kind_ == Kind::ServiceAccount) {
      auto now = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
      json header = {{"alg", "RS256"}, {"typ", "JWT"}};
      if (!key_id_.empty()) header["kid"] = key_id_;
      json claims = {{"iss", email_},
                     {"scope", "https://www.googleapis.com/auth/devstorage.read_write"},
                     {"aud", token_url_},
                     {"iat", now},
                     {"exp", now + 3600}};
      std::string signing_input = base64url(header.dump()) + "." + base64url(claims.dump());
      std::string jwt = signing_input + "." + base64url(rs256_sign(key_, signing_input));
      request = {"POST",
                 token_url_,
                 {{"content-type", "application/x-www-form-urlencoded"}},
                 "grant_type=" + url_encode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
                     "&assertion=" + jwt};
    } else {
      request = {"POST",
                 token_url_,
                 {{"content-type", "application/x-www-form-urlencoded"}},
                 "grant_type=refresh_token&client_id=" + url_encode(client_id_) +
                     "&client_secret=" + url_encode(client_secret_) +
                     "&refresh_token=" + url_encode(refresh_token_)};
    }
    HttpResponse r = send([&] { return request; }, retry_, "access token from " + source_);
    json j = json::parse(r.body, nullptr, false);
    if (r.status != 200 || j.is_discarded() || !j.contains("access_token")) {
      std::string summary = error_summary(r);
      throw Error(ErrorKind::IOError, "no access token from " + source_ + ": HTTP " +
                                          std::to_string(r.status) +
                                          (summary.empty() ? "" : " " + summary));
    }
    token_ = j["access_token"].get<std::string>();
    long long expires = j.value("expires_in", 3600LL);
    expiry_ = std::chrono::steady_clock::now() + std::chrono::seconds(expires);
  }

  RetryPolicy retry_;
  Kind kind_ = Kind::Metadata;
  std::string source_, token_url_, email_, key_, key_id_, client_id_, client_secret_,
      refresh_token_;
  std::mutex mutex_;
  std::string token_;
  std::chrono::steady_clock::time_point expiry_;
};

class GcsStore : public BackupStore {
 public:
  GcsStore(std::string uri, Location location, RetryPolicy retry)
      : BackupStore(std::move(uri)), location_(std::move(location)), retry_(retry) {
    std::string emulator = env("STORAGE_EMULATOR_HOST");
    std::string endpoint = env("HPARAMS_GCS_ENDPOINT");
    if (!emulator.empty()) {
      endpoint_ = with_scheme(emulator);  // no authentication, as the official clients do
    } else {
      endpoint_ = endpoint.empty() ? "https://storage.googleapis.com" : with_scheme(endpoint);
      tokens_ = std::make_unique<TokenSource>(retry);
    }
  }

  void put(std::string_view name, std::string_view bytes) override {
    std::string object = object_key(location_, name);
    std::string body(bytes);
    std::string md5_b64 = base64(md5(bytes));
    std::string crc_b64 = crc32c_base64(bytes);
    // ifGenerationMatch makes the upload idempotent: a retry of an upload that did land gets
    // 412, and the metadata then shows whether our bytes are there.
    for (int round = 0; round < 3; ++round) {
      std::optional<json> meta = metadata(object, name);
      std::string generation = meta ? meta->value("generation", "0") : "0";
      if (meta && meta->value("md5Hash", "") == md5_b64 && meta->value("crc32c", "") == crc_b64) {
        return;  // already there, byte for byte
      }
      std::string url = endpoint_ + "/upload/storage/v1/b/" + url_encode(location_.bucket) +
                        "/o?uploadType=media&name=" + url_encode(object) +
                        "&ifGenerationMatch=" + generation;
      HttpResponse r = request("POST", url, body, name);
      if (r.status == 412) continue;  // changed under us, or our earlier attempt landed
      if (r.status != 200) fail_response(uri_of(name), r);
      json j = json::parse(r.body, nullptr, false);
      if (j.is_discarded()) fail_response(uri_of(name), r);
      verify(name, j, md5_b64, crc_b64);
      return;
    }
    throw Error(ErrorKind::IOError,
                uri_of(name) + ": the object kept changing during the upload (HTTP 412)");
  }

  std::optional<std::string> get(std::string_view name) override {
    std::string object = object_key(location_, name);
    HttpResponse r = request("GET", object_url(object) + "?alt=media", "", name);
    if (r.status == 404) return std::nullopt;
    if (r.status != 200) fail_response(uri_of(name), r);
    // x-goog-hash: crc32c=...,md5=...
    if (auto hash = r.header("x-goog-hash")) {
      auto at = hash->find("md5=");
      if (at != std::string::npos) {
        std::string expected = hash->substr(at + 4, 24);
        if (expected != base64(md5(r.body))) {
          throw Error(ErrorKind::IOError, uri_of(name) + ": the download does not match its MD5");
        }
      }
    }
    return std::move(r.body);
  }

 private:
  static std::string crc32c_base64(std::string_view bytes) {
    std::uint32_t c = crc32c(bytes);
    std::string raw = {static_cast<char>(c >> 24), static_cast<char>(c >> 16),
                       static_cast<char>(c >> 8), static_cast<char>(c)};
    return base64(raw);
  }

  std::string object_url(const std::string& object) const {
    return endpoint_ + "/storage/v1/b/" + url_encode(location_.bucket) + "/o/" + url_encode(object);
  }

  // One JSON API request with retries; each attempt carries a current access token (none in
  // emulator mode). An upload's body is sent as text/plain.
  HttpResponse request(const char* method, const std::string& url, const std::string& body,
                       std::string_view name) {
    return send(
        [&] {
          HttpRequest q{method, url, {}, body};
          if (q.method == "POST") q.headers.emplace_back("content-type", "text/plain");
          if (tokens_) q.headers.emplace_back("authorization", "Bearer " + tokens_->token());
          return q;
        },
        retry_, uri_of(name));
  }

  std::optional<json> metadata(const std::string& object, std::string_view name) {
    HttpResponse r = request("GET", object_url(object), "", name);
    if (r.status == 404) return std::nullopt;
    if (r.status != 200) fail_response(uri_of(name), r);
    json j = json::parse(r.body, nullptr, false);
    if (j.is_discarded()) fail_response(uri_of(name), r);
    return j;
  }

  void verify(std::string_view name, const json& j, const std::string& md5_b64,
              const std::string& crc_b64) {
    std::string md5_server = j.value("md5Hash", ""), crc_server = j.value("crc32c", "");
    if (md5_server.empty() && crc_server.empty()) {
      throw Error(ErrorKind::IOError, uri_of(name) + ": the server reported no checksum");
    }
    if ((!md5_server.empty() && md5_server != md5_b64) ||
        (!crc_server.empty() && crc_server != crc_b64)) {
      throw Error(ErrorKind::IOError, uri_of(name) + ": the server's checksum (md5 " + md5_server +
                                          ", crc32c " + crc_server +
                                          ") does not match the local copy (md5 " + md5_b64 +
                                          ", crc32c " + crc_b64 + ")");
    }
  }

  Location location_;
  RetryPolicy retry_;
  std::string endpoint_;
  std::unique_ptr<TokenSource> tokens_;
};

}  // namespace

std::unique_ptr<BackupStore> open_gcs(std::string uri, const Location& location,
                                      const RetryPolicy& retry, const std::string& /*project*/) {
  return std::make_unique<GcsStore>(std::move(uri), location, retry);
}

}  // namespace hparams::backup
