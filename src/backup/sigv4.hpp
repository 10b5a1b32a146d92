// AWS Signature Version 4, written to the specification: the canonical request, the string
// to sign, the signing key and the Authorization header.
#pragma once

#include <string>
#include <string_view>

#include "backup/http.hpp"

namespace hparams::backup {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  ///< empty unless temporary credentials
};

struct SigningInput {
  std::string method;
  std::string path;   ///< as on the request line (percent-encoded or not)
  std::string query;  ///< without '?'
  Headers headers;    ///< every header to sign (Host and X-Amz-Date included)
  std::string payload_sha256_hex;
};

struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string authorization;  ///< the Authorization header's value
};

/// Signs for `service` in `region` at `amz_date` (YYYYMMDDTHHMMSSZ). S3 (`s3 == true`) takes
/// the path as it is, encoded once; other services normalise it (RFC 3986 dot segments,
/// repeated slashes) and encode it twice, as the AWS test suite specifies.
Signature sign_v4(const SigningInput& input, const AwsCredentials& credentials,
                  std::string_view region, std::string_view service, std::string_view amz_date,
                  bool s3);

/// The current time as an X-Amz-Date.
std::string amz_date_now();

}  // namespace hparams::backup
