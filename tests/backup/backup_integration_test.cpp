// Backup against real servers on loopback (started by servers.sh as a ctest fixture):
// s3rver, which checks SigV4 signatures, and the GCS test server (its token and metadata
// endpoints, and its fault injection). Runs go through HParams exactly as a program does.
// Uploads to S3 are read back with an independent client (the AWS CLI, or s3cmd).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "backup/http.hpp"
#include "hparams/run.hpp"
#include "support/files.hpp"

namespace {

namespace fs = std::filesystem;
using hparams::HParams;
using hparams::RunOptions;

using hparams_test::read;
using hparams_test::write;

std::map<std::string, std::string> servers() {
  std::map<std::string, std::string> out;
  std::ifstream in(std::string(HPARAMS_BACKUP_WORK) + "/servers.env");
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

const char* const kCfg =
    "# backed-up run\n"
    "[run]\n"
    "name = RUN\n"
    "seed = 3\n"
    "[train]\n"
    "lr = 3e-4\n"
    "layers = [64, 64]\n";

class Backup : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = servers();
    ASSERT_FALSE(env_.empty()) << "servers.env missing: the backup.servers fixture did not start";
    for (const char* v :
         {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
          "AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "GOOGLE_APPLICATION_CREDENTIALS",
          "STORAGE_EMULATOR_HOST", "HPARAMS_GCS_ENDPOINT", "GCE_METADATA_HOST", "RANK"}) {
      ::unsetenv(v);
    }
    ::setenv("HOME", "/nonexistent-home", 1);  // no ~/.aws or ~/.config/gcloud of the machine
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    name_ = std::string("bk-") + info->name();
    project_ = fs::temp_directory_path() /
               ("hparams-backup-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(project_);
    fs::create_directories(project_);
    std::string cfg = kCfg;
    cfg.replace(cfg.find("RUN"), 3, name_);
    write(project_ / "hparams.cfg", cfg);
  }
  void TearDown() override { fs::remove_all(project_); }

  void use_s3(const char* secret = "S3RVER") {
    ::setenv("AWS_ACCESS_KEY_ID", "S3RVER", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
    ::setenv("AWS_ENDPOINT_URL", ("http://127.0.0.1:" + env_["S3_PORT"]).c_str(), 1);
  }
  void use_gcs() {
    ::setenv("HPARAMS_GCS_ENDPOINT", ("http://127.0.0.1:" + env_["GCS_PORT"]).c_str(), 1);
  }
  std::string gcs(const std::string& path) { return "http://127.0.0.1:" + env_["GCS_PORT"] + path; }
  void control(const std::string& json) {
    auto [r, e] =
        hparams::backup::send_once({"POST", gcs("/_control"), {}, json}, std::chrono::seconds(5));
    ASSERT_TRUE(r && r->status == 200) << e.message;
  }
  // The server's counters (shared by every test of a ctest run: compare differences).
  long stat(const std::string& key) {
    auto [r, e] =
        hparams::backup::send_once({"GET", gcs("/_stats"), {}, ""}, std::chrono::seconds(5));
    if (!r) return -1;
    return nlohmann::json::parse(r->body).value(key, -1L);
  }

  RunOptions options(const std::string& uri) {
    RunOptions o;
    o.messages = &messages_;
    o.rank = 0;
    o.backup.uri = uri;
    o.backup.initial_delay = std::chrono::milliseconds(20);
    o.backup.max_delay = std::chrono::milliseconds(100);
    return o;
  }
  fs::path saved() const { return project_ / ("logs-" + name_) / ("hparams-" + name_ + ".cfg"); }

  std::map<std::string, std::string> env_;
  std::string name_;
  fs::path project_;
  std::ostringstream messages_;
};

// Reads an S3 object with an independent client: the AWS CLI if the machine has it, else
// Debian's s3cmd.
std::string read_with_independent_client(const std::string& port, const std::string& uri,
                                         std::string& client) {
  fs::path out = fs::temp_directory_path() / ("hparams-s3-read-" + std::to_string(::getpid()));
  std::string endpoint = "http://127.0.0.1:" + port;
  std::string command;
  if (std::system("command -v aws >/dev/null 2>&1") == 0) {
    client = "aws s3 cp";
    command =
        "AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 "
        "aws --endpoint-url " +
        endpoint + " s3 cp '" + uri + "' '" + out.string() + "' >/dev/null";
  } else {
    client = "s3cmd get";
    command = "s3cmd --access_key=S3RVER --secret_key=S3RVER --host=127.0.0.1:" + port +
              " --host-bucket=127.0.0.1:" + port + " --no-ssl --force get '" + uri + "' '" +
              out.string() + "' >/dev/null";
  }
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  std::string bytes = read(out);
  fs::remove(out);
  return bytes;
}

TEST_F(Backup, S3UploadIsReadBackIdenticalByAnIndependentClient) {
  use_s3();
  std::string uri = "s3://hparams-test/runs";
  {
    HParams run = HParams::open(project_, options(uri));
    EXPECT_TRUE(run.is_new_run());
    EXPECT_EQ(run.backup_uri(), uri + "/" + name_ + "/hparams-" + name_ + ".cfg");
  }
  std::string object = uri + "/" + name_ + "/hparams-" + name_ + ".cfg";
  EXPECT_NE(messages_.str().find("Backing up hparams file to " + object + "\n"), std::string::npos)
      << messages_.str();
  std::string client;
  EXPECT_EQ(read_with_independent_client(env_["S3_PORT"], object, client), read(saved())) << client;
  std::printf("summary: s3rver accepted our SigV4 upload; %s read back %zu identical bytes\n",
              client.c_str(), read(saved()).size());
}

// The run moves to a new machine: no local copy, but the bucket has one.
TEST_F(Backup, S3RestoreResumesOnANewMachine) {
  use_s3();
  std::string uri = "s3://hparams-test/moved";
  HParams::open(project_, options(uri));
  std::string original = read(saved());
  fs::remove_all(project_ / ("logs-" + name_));  // the old machine is gone
  // The cfg on the new machine differs; the restored copy still wins.
  write(project_ / "hparams.cfg", read(project_ / "hparams.cfg") + "extra = 1\n");
  messages_.str("");
  HParams run = HParams::open(project_, options(uri));
  EXPECT_FALSE(run.is_new_run());
  EXPECT_TRUE(run.is_restored());
  EXPECT_EQ(read(saved()), original);
  EXPECT_EQ(run.config().find("train.extra"), nullptr);
  EXPECT_NE(messages_.str().find("No local saved copy; restored s3://hparams-test/moved/"),
            std::string::npos)
      << messages_.str();
  EXPECT_NE(messages_.str().find("Resuming run using primary parameters!"), std::string::npos);
}

TEST_F(Backup, S3WrongSecretIsAClearErrorWithoutTheSecret) {
  use_s3("wrong-secret-value-123");
  RunOptions o = options("s3://hparams-test/runs");
  // A new run cannot tell whether the bucket holds this run: it stops before creating one.
  EXPECT_THROW(HParams::open(project_, o), hparams::Error);
  EXPECT_FALSE(fs::exists(saved()));
  HParams::open(project_, options(""));  // the run exists locally, without backup
  try {
    HParams::open(project_, o);
    FAIL() << "a wrong secret was accepted";
  } catch (const hparams::Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("HTTP 403 SignatureDoesNotMatch"), std::string::npos) << what;
    EXPECT_NE(what.find("s3://hparams-test/runs/" + name_), std::string::npos) << what;
    EXPECT_EQ(what.find("wrong-secret-value-123"), std::string::npos) << what;
  }
  // The local saved copy is untouched by the failed backup.
  EXPECT_EQ(read(saved()), read(project_ / "hparams.cfg"));
  // Optional backups only warn.
  o.backup.required = false;
  EXPECT_NO_THROW(HParams::open(project_, o));
}

// Object names with spaces, '+', '=' and non-ASCII characters: the signature covers the
// encoded path, so s3rver refuses any mismatch.
TEST_F(Backup, S3OddObjectNamesAndTheSharedCredentialsFile) {
  use_s3();
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  fs::path credentials = project_ / "credentials";
  write(credentials,
        "[default]\naws_access_key_id = nobody\naws_secret_access_key = wrong\n\n"
        "[s3rver]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n");
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", credentials.c_str(), 1);
  ::setenv("AWS_PROFILE", "s3rver", 1);
  std::string odd = "exp 1+a=b \xC3\xA9t\xC3\xA9";  // "exp 1+a=b été"
  std::string cfg = read(project_ / "hparams.cfg");
  cfg.replace(cfg.find(name_), name_.size(), odd);
  write(project_ / "hparams.cfg", cfg);
  HParams run = HParams::open(project_, options("s3://hparams-test/odd names"));
  std::string object = "s3://hparams-test/odd names/" + odd + "/hparams-" + odd + ".cfg";
  EXPECT_EQ(run.backup_uri(), object);
  std::string client;
  EXPECT_EQ(read_with_independent_client(env_["S3_PORT"], object, client), read(run.saved_file()));
  ::unsetenv("AWS_SHARED_CREDENTIALS_FILE");
  ::unsetenv("AWS_PROFILE");
}

TEST_F(Backup, ConnectionRefusedIsRetriedThenAClearError) {
  ::setenv("STORAGE_EMULATOR_HOST", "127.0.0.1:9", 1);  // the discard port: closed on loopback
  RunOptions o = options("gs://bucket/nowhere");
  o.backup.max_attempts = 3;
  try {
    HParams::open(project_, o);
    FAIL();
  } catch (const hparams::Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("connection failed"), std::string::npos) << what;
    EXPECT_NE(what.find("gave up after 3 attempts"), std::string::npos) << what;
  }
  EXPECT_FALSE(fs::exists(saved()));
}

TEST_F(Backup, GcsServiceAccountJwt) {
  use_gcs();
  ::setenv("GOOGLE_APPLICATION_CREDENTIALS", (env_["CREDS"] + "/service-account.json").c_str(), 1);
  long verified = stat("jwt_verified");
  HParams run = HParams::open(project_, options("gs://bucket/sa"));
  EXPECT_EQ(run.backup_uri(), "gs://bucket/sa/" + name_ + "/hparams-" + name_ + ".cfg");
  EXPECT_EQ(stat("jwt_verified"), verified + 1);  // the server checked our RS256 signature
  // Read back through the JSON API's download.
  auto [r, e] = hparams::backup::send_once(
      {"GET",
       gcs("/storage/v1/b/bucket/o/sa%2F" + name_ + "%2Fhparams-" + name_ + ".cfg?alt=media"),
       {{"authorization", "Bearer static-test-token"}},
       ""},
      std::chrono::seconds(5));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, read(saved()));
}

TEST_F(Backup, GcsAuthorizedUserAndMetadataServerAndEmulator) {
  use_gcs();
  // gcloud's application-default credentials (authorized_user) under CLOUDSDK_CONFIG.
  fs::path config = project_ / "gcloud";
  fs::create_directories(config);
  fs::copy_file(env_["CREDS"] + "/authorized-user.json",
                config / "application_default_credentials.json");
  ::setenv("CLOUDSDK_CONFIG", config.c_str(), 1);
  long refreshes = stat("refresh_grants"), metadata = stat("metadata_grants");
  HParams a = HParams::open(project_, options("gs://bucket/user"));
  EXPECT_FALSE(a.backup_uri().empty());
  ::unsetenv("CLOUDSDK_CONFIG");
  // The metadata server.
  ::setenv("GCE_METADATA_HOST", ("127.0.0.1:" + env_["GCS_PORT"]).c_str(), 1);
  HParams b = HParams::open(project_, options("gs://bucket/metadata"));
  EXPECT_EQ(stat("refresh_grants"), refreshes + 1);
  EXPECT_EQ(stat("metadata_grants"), metadata + 1);
  // Emulator mode: no authentication at all (the emulator server refuses nothing).
  ::unsetenv("GCE_METADATA_HOST");
  ::unsetenv("HPARAMS_GCS_ENDPOINT");
  ::setenv("STORAGE_EMULATOR_HOST", ("127.0.0.1:" + env_["GCS_EMULATOR_PORT"]).c_str(), 1);
  HParams c = HParams::open(project_, options("gs://bucket/emulated"));
  EXPECT_FALSE(c.backup_uri().empty());
  // The seed's way of naming the destination.
  RunOptions seed = options("");
  seed.backup.gcs_backup_project = "my-project";
  seed.backup.gcs_backup_bucket = "seed-bucket";
  messages_.str("");
  HParams d = HParams::open(project_, seed);
  EXPECT_NE(messages_.str().find("Backing up hparams file to gs://seed-bucket/" + name_ +
                                 "/hparams-" + name_ + ".cfg"),
            std::string::npos)
      << messages_.str();
}

TEST_F(Backup, GcsRetriesTwo503sThenSucceeds) {
  use_gcs();
  ::setenv("GOOGLE_APPLICATION_CREDENTIALS", (env_["CREDS"] + "/service-account.json").c_str(), 1);
  HParams::open(project_, options("gs://bucket/warm"));  // token fetched
  long failed = stat("failed");
  control(R"({"fail": 2, "status": 503})");
  HParams run = HParams::open(project_, options("gs://bucket/retried"));
  EXPECT_EQ(stat("failed"), failed + 2);
  EXPECT_FALSE(run.backup_uri().empty());
}

TEST_F(Backup, GcsAlwaysFailingServerIsBoundedAndLeavesTheLocalCopy) {
  use_gcs();
  ::setenv("GOOGLE_APPLICATION_CREDENTIALS", (env_["CREDS"] + "/service-account.json").c_str(), 1);
  HParams::open(project_, options("gs://bucket/warm"));  // new run, saved and backed up
  std::string local = read(saved());
  control(R"({"always_fail": true, "status": 503})");
  RunOptions o = options("gs://bucket/down");
  o.backup.max_attempts = 4;
  auto start = std::chrono::steady_clock::now();
  try {
    HParams::open(project_, o);
    ADD_FAILURE() << "an always-failing server was accepted";
  } catch (const hparams::Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("HTTP 503"), std::string::npos) << what;
    EXPECT_NE(what.find("gave up after 4 attempts"), std::string::npos) << what;
    EXPECT_NE(what.find("gs://bucket/down/" + name_), std::string::npos) << what;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  control(R"({"always_fail": false})");
  EXPECT_LT(seconds, 20.0);  // bounded: 4 attempts, backoff capped at 100 ms (about 0.3 s)
  EXPECT_EQ(read(saved()), local);
}

TEST_F(Backup, GcsDroppedConnectionMidBodyIsRetriedOnRestore) {
  use_gcs();
  ::setenv("GOOGLE_APPLICATION_CREDENTIALS", (env_["CREDS"] + "/service-account.json").c_str(), 1);
  HParams::open(project_, options("gs://bucket/dropped"));
  std::string original = read(saved());
  fs::remove_all(project_ / ("logs-" + name_));
  long dropped = stat("dropped");
  control(R"({"drop": 1})");
  HParams run = HParams::open(project_, options("gs://bucket/dropped"));
  EXPECT_TRUE(run.is_restored());
  EXPECT_EQ(read(saved()), original);
  EXPECT_EQ(stat("dropped"), dropped + 1);
}

TEST_F(Backup, EndlessResponseBodyFailsCleanly) {
  // A server that streams a body forever: the read stops at the limit (whatever the headers
  // say), the restore fails with a clear error, and nothing is retried or written.
  use_gcs();
  ::setenv("GOOGLE_APPLICATION_CREDENTIALS", (env_["CREDS"] + "/service-account.json").c_str(), 1);
  HParams::open(project_, options("gs://bucket/endless"));
  fs::remove_all(project_ / ("logs-" + name_));
  long endless = stat("endless");
  control(R"({"endless": 1})");
  hparams::RunOptions o = options("gs://bucket/endless");
  o.backup.max_response_bytes = 1 << 20;
  try {
    HParams::open(project_, o);
    FAIL() << "the restore should have failed";
  } catch (const hparams::Error& e) {
    EXPECT_NE(std::string(e.what()).find("larger than the limit of 1048576 bytes"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(stat("endless"), endless + 1);
  EXPECT_FALSE(fs::exists(saved()));
  // Optional backups only warn: the launch creates the run.
  o.backup.required = false;
  control(R"({"endless": 1})");
  HParams run = HParams::open(project_, o);
  EXPECT_TRUE(run.is_new_run());
}

TEST(BackupUri, CredentialsInTheUriAreRefusedUnshown) {
  for (const char* uri : {"s3://AKIAEXAMPLE:SECRETKEY@bucket/x", "gs://user:SECRETKEY@bucket",
                          "file://user:SECRETKEY@host/dir"}) {
    try {
      hparams::BackupOptions o;
      o.uri = uri;
      hparams::backup_destination(o);
      ADD_FAILURE() << uri;
    } catch (const hparams::Error& e) {
      EXPECT_EQ(std::string(e.what()).find("SECRETKEY"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("***@"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
