#include <hparams/hparams.hpp>
#include <iostream>

int main() {
  // [example]
  hparams::RunOptions options;
  options.backup.uri = "s3://my-bucket/runs";  // or gs://bucket/prefix, file:///mnt/runs
  auto hp = hparams::HParams::create(".", options);
  // Backing up hparams file to s3://my-bucket/runs/cifar10_baseline/hparams-cifar10_baseline.cfg
  auto store = hparams::BackupStore::open(options.backup.uri);
  bool same = store->get(hp->paths().backup_object()) == hp->paths().read_saved();
  std::cout << (same ? "the store holds the saved copy" : "the copies differ") << "\n";
  // [end example]
}
