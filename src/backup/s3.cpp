// s3://: PUT, GET and HEAD of objects, signed with our SigV4. Credentials and endpoint from
// the environment and the shared credentials file, as the AWS CLI finds them.
#include <cstdlib>
#include <fstream>

#include "backup/crypto.hpp"
#include "backup/sigv4.hpp"
#include "backup/stores.hpp"
#include "hparams/error.hpp"

namespace hparams::backup {
namespace {

std::string strip(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

// The shared credentials file: [profile] sections of `key = value` lines.
AwsCredentials from_shared_file() {
  std::string file = env("AWS_SHARED_CREDENTIALS_FILE");
  if (file.empty()) file = env("HOME") + "/.aws/credentials";
  std::string profile = env("AWS_PROFILE");
  if (profile.empty()) profile = "default";
  std::ifstream in(file);
  AwsCredentials out;
  std::string line, section;
  while (std::getline(in, line)) {
    line = strip(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = strip(line.substr(1, line.size() - 2));
      continue;
    }
    if (section != profile) continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = strip(line.substr(0, eq)), value = strip(line.substr(eq + 1));
    if (key == "aws_access_key_id") out.access_key_id = value;
    if (key == "aws_secret_access_key") out.secret_access_key = value;
    if (key == "aws_session_token") out.session_token = value;
  }
  return out;
}

AwsCredentials find_credentials() {
  AwsCredentials c{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"),
                   env("AWS_SESSION_TOKEN")};
  if (!c.access_key_id.empty() && !c.secret_access_key.empty()) return c;
  c = from_shared_file();
  if (!c.access_key_id.empty() && !c.secret_access_key.empty()) return c;
  throw Error(ErrorKind::ConfigError,
              "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or write them "
              "to the shared credentials file (~/.aws/credentials or AWS_SHARED_CREDENTIALS_FILE)");
}

class S3Store : public BackupStore {
 public:
  S3Store(std::string uri, Location location, RetryPolicy retry)
      : BackupStore(std::move(uri)), location_(std::move(location)), retry_(retry) {
    credentials_ = find_credentials();
    region_ = env("AWS_REGION");
    if (region_.empty()) region_ = env("AWS_DEFAULT_REGION");
    if (region_.empty()) region_ = "us-east-1";
    std::string endpoint = env("AWS_ENDPOINT_URL_S3");
    if (endpoint.empty()) endpoint = env("AWS_ENDPOINT_URL");
    if (endpoint.empty()) {
      // Virtual-hosted addressing on AWS itself.
      scheme_ = "https://";
      host_ = location_.bucket + ".s3." + region_ + ".amazonaws.com";
    } else {
      // A custom endpoint (MinIO, Ceph, R2, GCS's XML API): path-style addressing.
      auto sep = endpoint.find("://");
      if (sep == std::string::npos) {
        throw Error(ErrorKind::ConfigError,
                    "AWS_ENDPOINT_URL '" + endpoint + "' needs a scheme (http:// or https://)");
      }
      scheme_ = endpoint.substr(0, sep + 3);
      host_ = endpoint.substr(sep + 3);
      while (!host_.empty() && host_.back() == '/') host_.pop_back();
      path_style_ = true;
    }
  }

  void put(std::string_view name, std::string_view bytes) override {
    std::string key = object_key(location_, name);
    std::string body(bytes);
    std::string md5_raw = md5(bytes);
    HttpResponse r = send(
        [&] {
          return request("PUT", key, body,
                         {{"content-md5", base64(md5_raw)}, {"content-type", "text/plain"}});
        },
        retry_, uri_of(name));
    if (r.status != 200) fail_response(uri_of(name), r);
    // The ETag of a single-part upload is the MD5 of the bytes: check what the server stored,
    // then ask it again with HEAD.
    check_etag(name, r, md5_raw);
    HttpResponse head = send([&] { return request("HEAD", key, "", {}); }, retry_, uri_of(name));
    if (head.status != 200) fail_response(uri_of(name), head);
    check_etag(name, head, md5_raw);
    auto length = head.header("content-length");
    if (!length || *length != std::to_string(bytes.size())) {
      throw Error(ErrorKind::IOError,
                  uri_of(name) + ": the server holds " + (length ? *length : std::string("?")) +
                      " bytes, the local copy has " + std::to_string(bytes.size()));
    }
  }

  std::optional<std::string> get(std::string_view name) override {
    std::string key = object_key(location_, name);
    HttpResponse r = send([&] { return request("GET", key, "", {}); }, retry_, uri_of(name));
    if (r.status == 404) return std::nullopt;
    if (r.status != 200) fail_response(uri_of(name), r);
    auto etag = r.header("etag");
    if (etag) {
      std::string tag = unquote(*etag);
      if (tag.size() == 32 && tag.find('-') == std::string::npos && tag != hex(md5(r.body))) {
        throw Error(ErrorKind::IOError, uri_of(name) + ": the download does not match its ETag");
      }
    }
    return std::move(r.body);
  }

 private:
  static std::string unquote(std::string s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return s;
  }

  void check_etag(std::string_view name, const HttpResponse& r, const std::string& md5_raw) {
    auto etag = r.header("etag");
    if (!etag || unquote(*etag) != hex(md5_raw)) {
      throw Error(ErrorKind::IOError, uri_of(name) + ": the server's ETag " +
                                          (etag ? *etag : std::string("(none)")) +
                                          " is not the MD5 of the local copy " + hex(md5_raw));
    }
  }

  HttpRequest request(const std::string& method, const std::string& key, const std::string& body,
                      Headers extra) {
    std::string path = (path_style_ ? "/" + location_.bucket + "/" : "/") + url_encode(key, true);
    std::string date = amz_date_now();
    std::string payload = hex(sha256(body));
    Headers headers = {{"host", host_}, {"x-amz-date", date}, {"x-amz-content-sha256", payload}};
    if (!credentials_.session_token.empty()) {
      headers.emplace_back("x-amz-security-token", credentials_.session_token);
    }
    for (auto& h : extra) headers.push_back(std::move(h));
    SigningInput input{method, path, "", headers, payload};
    Signature signature = sign_v4(input, credentials_, region_, "s3", date, true);
    headers.emplace_back("authorization", signature.authorization);
    return HttpRequest{method, scheme_ + host_ + path, std::move(headers), body};
  }

  Location location_;
  RetryPolicy retry_;
  AwsCredentials credentials_;
  std::string region_, scheme_, host_;
  bool path_style_ = false;
};

}  // namespace

std::unique_ptr<BackupStore> open_s3(std::string uri, const Location& location,
                                     const RetryPolicy& retry) {
  return std::make_unique<S3Store>(std::move(uri), location, retry);
}

}  // namespace hparams::backup
