// A consumer of the installed (or vendored) library: the public API only.
#include <hparams/backup.hpp>
#include <hparams/hparams.hpp>
#include <iostream>
#include <string>
#include <string_view>

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "s3") {
    // Without the backup component linked in, s3:// goes through the installed helper program:
    // without credentials, its S3 client's message comes back.
    try {
      hparams::BackupStore::open("s3://bucket/prefix");
      return 1;
    } catch (const hparams::Error& e) {
      std::cout << e.message() << "\n";
      return e.message().find("no AWS credentials") != std::string::npos ? 0 : 1;
    }
  }
  hparams::Value v = hparams::evaluate("[1] * 3 + [2]");
  std::cout << v.repr() << " " << hparams::kVersion << "\n";
  // An exception thrown inside the library is caught here by its type (typeinfo is shared).
  try {
    hparams::evaluate("1 +");
    return 1;
  } catch (const hparams::Error& e) {
    if (e.kind() != hparams::ErrorKind::SyntaxError) return 1;
  }
  std::string expected = std::to_string(HPARAMS_VERSION_MAJOR) + "." +
                         std::to_string(HPARAMS_VERSION_MINOR) + "." +
                         std::to_string(HPARAMS_VERSION_PATCH);
  return v.repr() == "[1, 1, 1, 2]" && expected == hparams::kVersion ? 0 : 1;
}
