// Digests, MACs, signatures and encodings for the storage clients (OpenSSL underneath).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hparams::backup {

std::string sha256(std::string_view data);                             ///< raw 32 bytes
std::string md5(std::string_view data);                                ///< raw 16 bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  ///< raw 32 bytes
/// CRC-32C (Castagnoli), as GCS reports it.
std::uint32_t crc32c(std::string_view data);

std::string hex(std::string_view raw);  ///< lower-case
std::string base64(std::string_view raw);
std::string base64url(std::string_view raw);  ///< without padding (JWT)
/// Decodes standard base64; empty on malformed input.
std::string base64_decode(std::string_view text);

/// RSASSA-PKCS1-v1_5 with SHA-256 of `data` with a PEM private key (RS256). Throws
/// ConfigError when the key cannot be read (the message never quotes the key).
std::string rs256_sign(std::string_view private_key_pem, std::string_view data);

}  // namespace hparams::backup
