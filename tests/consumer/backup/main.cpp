// A consumer of the backup component: gs:// and s3:// are served in this process. Without
// credentials, opening an s3:// store fails with the S3 client's own message; were the component
// missing, the core would try the helper program, which HPARAMS_BACKUP_HELPER points nowhere.
#include <hparams/backup.hpp>
#include <hparams/error.hpp>
#include <iostream>
#include <string>

int main() {
  try {
    hparams::BackupStore::open("s3://bucket/prefix");
    std::cerr << "opened without credentials\n";
    return 1;
  } catch (const hparams::Error& e) {
    std::string message = e.message();
    std::cout << message << "\n";
    return message.find("no AWS credentials") != std::string::npos ? 0 : 1;
  }
}
