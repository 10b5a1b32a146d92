#include "backup/sigv4.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "backup/crypto.hpp"
#include "utc_time.hpp"

namespace hparams::backup {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Header values: trimmed, runs of spaces collapsed to one.
std::string trimmed(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string normalised_path(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(i, slash - i);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.emplace_back(segment);
    }
    i = slash + 1;
  }
  std::string out;
  for (const auto& s : segments) out += "/" + s;
  bool trailing = !path.empty() && path.back() == '/' && !segments.empty();
  if (out.empty() || trailing) out += "/";
  return out;
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t i = 0;
  while (i < query.size()) {
    std::size_t amp = query.find('&', i);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view part = query.substr(i, amp - i);
    if (!part.empty()) {
      std::size_t eq = part.find('=');
      std::string key = url_encode(percent_decode(part.substr(0, eq)));
      std::string value =
          eq == std::string_view::npos ? "" : url_encode(percent_decode(part.substr(eq + 1)));
      pairs.emplace_back(std::move(key), std::move(value));
    }
    i = amp + 1;
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [k, v] : pairs) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

}  // namespace

Signature sign_v4(const SigningInput& input, const AwsCredentials& credentials,
                  std::string_view region, std::string_view service, std::string_view amz_date,
                  bool s3) {
  std::string path = input.path.empty() ? "/" : input.path;
  std::string canonical_uri =
      s3 ? url_encode(percent_decode(path), true)
         : url_encode(url_encode(percent_decode(normalised_path(path)), true), true);

  std::map<std::string, std::string> headers;  // sorted by lower-case name
  for (const auto& [name, value] : input.headers) {
    std::string& joined = headers[lower(name)];
    if (!joined.empty()) joined += ',';
    joined += trimmed(value);
  }
  std::string canonical_headers, signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    signed_headers += (signed_headers.empty() ? "" : ";") + name;
  }

  Signature out;
  out.canonical_request = input.method + "\n" + canonical_uri + "\n" +
                          canonical_query(input.query) + "\n" + canonical_headers + "\n" +
                          signed_headers + "\n" + input.payload_sha256_hex;
  std::string date(amz_date.substr(0, 8));
  std::string scope =
      date + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
  out.string_to_sign = "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + scope + "\n" +
                       hex(sha256(out.canonical_request));
  std::string secret = "AWS4";
  secret += credentials.secret_access_key;
  std::string key = hmac_sha256(secret, date);
  key = hmac_sha256(key, region);
  key = hmac_sha256(key, service);
  key = hmac_sha256(key, "aws4_request");
  out.authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope +
                      ", SignedHeaders=" + signed_headers +
                      ", Signature=" + hex(hmac_sha256(key, out.string_to_sign));
  return out;
}

std::string amz_date_now() { return detail::utc_now("%Y%m%dT%H%M%SZ"); }

}  // namespace hparams::backup
