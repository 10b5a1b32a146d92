// Backup destinations: parsing, the file:// store, and dispatch to the S3 and GCS clients.
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "backup/stores.hpp"
#include "fs/files.hpp"
#include "hparams/error.hpp"

namespace hparams {
namespace {

// The URI with any user information (`user:secret@`) replaced, for messages.
std::string redacted(std::string_view uri) {
  auto scheme_end = uri.find("://");
  std::size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  auto slash = uri.find('/', authority);
  auto at = uri.rfind('@', slash == std::string_view::npos ? uri.size() : slash);
  if (at == std::string_view::npos || at < authority) return std::string(uri);
  return std::string(uri.substr(0, authority)) + "***@" + std::string(uri.substr(at + 1));
}

[[noreturn]] void bad_uri(std::string_view uri, std::string_view why) {
  throw Error(ErrorKind::ConfigError,
              "backup destination '" + redacted(uri) + "': " + std::string(why));
}

// A directory, written atomically; a mounted bucket or NFS.
class FileStore : public BackupStore {
 public:
  FileStore(std::string uri, std::filesystem::path dir, std::size_t max_bytes)
      : BackupStore(std::move(uri)), dir_(std::move(dir)), max_bytes_(max_bytes) {}

  void put(std::string_view name, std::string_view bytes) override {
    std::filesystem::path target = dir_ / std::string(name);
    files::make_directories(target.parent_path());
    files::write_atomically(target, bytes);
    // Verify: what the directory now holds is what we wrote.
    std::optional<std::string> back = get(name);
    if (!back || *back != bytes) {
      throw Error(ErrorKind::IOError,
                  uri_of(name) + ": the stored copy differs from the local one");
    }
  }

  std::optional<std::string> get(std::string_view name) override {
    std::filesystem::path source = dir_ / std::string(name);
    std::error_code ec;
    if (!std::filesystem::exists(source, ec)) return std::nullopt;
    // Bounded like a server's answer, and only a regular file.
    return files::read_regular(source, max_bytes_);
  }

 private:
  std::filesystem::path dir_;
  std::size_t max_bytes_;
};

}  // namespace

namespace backup {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

Location parse_location(std::string_view uri) {
  Location out;
  auto scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) bad_uri(uri, "expected gs://, s3:// or file://");
  out.scheme = std::string(uri.substr(0, scheme_end));
  std::string_view rest = uri.substr(scheme_end + 3);
  if (rest.substr(0, rest.find('/')).find('@') != std::string_view::npos) {
    bad_uri(uri,
            "credentials in the URI are not accepted (they would be printed and logged); "
            "give them as the environment the official clients read");
  }
  if (out.scheme == "file") {
    if (rest.substr(0, 9) == "localhost") rest.remove_prefix(9);
    if (rest.empty() || rest.front() != '/')
      bad_uri(uri, "a file:// URI needs an absolute path (file:///dir)");
    while (rest.size() > 1 && rest.back() == '/') rest.remove_suffix(1);
    out.prefix = std::string(rest);
    return out;
  }
  if (out.scheme != "gs" && out.scheme != "s3") bad_uri(uri, "expected gs://, s3:// or file://");
  auto slash = rest.find('/');
  out.bucket = std::string(rest.substr(0, slash));
  if (out.bucket.empty()) bad_uri(uri, "no bucket");
  for (char c : out.bucket) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || (c >= 'A' && c <= 'Z');
    if (!ok) bad_uri(uri, "'" + out.bucket + "' is not a bucket name");
  }
  if (slash != std::string_view::npos) {
    std::string_view prefix = rest.substr(slash + 1);
    while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
    out.prefix = std::string(prefix);
  }
  return out;
}

std::string object_key(const Location& location, std::string_view name) {
  return location.prefix.empty() ? std::string(name) : location.prefix + "/" + std::string(name);
}

}  // namespace backup

std::string backup_destination(const BackupOptions& options) {
  if (!options.uri.empty()) {
    backup::parse_location(options.uri);  // checks it
    return options.uri;
  }
  if (!options.gcs_backup_project.empty() && options.gcs_backup_bucket.empty()) {
    throw Error(ErrorKind::ConfigError, "GCS bucket must be provided to conduct gcs backup!");
  }
  if (options.gcs_backup_bucket.empty()) return {};
  std::string bucket = options.gcs_backup_bucket;
  if (bucket.rfind("gs://", 0) != 0) bucket = "gs://" + bucket;
  backup::parse_location(bucket);
  return bucket;
}

BackupStore::~BackupStore() = default;

std::string BackupStore::uri_of(std::string_view name) const {
  std::string base = uri_;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + std::string(name);
}

std::unique_ptr<BackupStore> BackupStore::open(std::string_view uri, const BackupOptions& options) {
  backup::Location location = backup::parse_location(uri);
  backup::RetryPolicy retry{options.max_attempts, options.initial_delay,
                            options.max_delay,    options.deadline,
                            options.timeout,      options.max_response_bytes};
  if (location.scheme == "file") {
    return std::make_unique<FileStore>(std::string(uri), location.prefix,
                                       options.max_response_bytes);
  }
  if (location.scheme == "s3") return backup::open_s3(std::string(uri), location, retry);
  return backup::open_gcs(std::string(uri), location, retry, options.gcs_backup_project);
}

std::string backup_object_name(std::string_view run_name) {
  return std::string(run_name) + "/hparams-" + std::string(run_name) + ".cfg";
}

}  // namespace hparams
