// conformance/configs (computed by CPython's configparser + eval): every X.expected through
// Config (what `hparams show` prints) and every X.raw through the document (`show --raw`).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hparams/config.hpp"
#include "support/files.hpp"

namespace {

namespace fs = std::filesystem;

fs::path dir() { return fs::path(HPARAMS_TEST_DATA) / "conformance" / "configs"; }

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> shown(const hparams::Config& config) {
  std::vector<std::string> lines;
  for (const auto& section : config.sections()) {
    for (const auto& key : config.keys(section)) {
      lines.push_back(section + "." + key + " = " + config.at(section, key).repr());
    }
  }
  return lines;
}

std::vector<std::string> shown_raw(const hparams::ini::Document& doc) {
  std::vector<std::string> lines;
  for (const auto& section : doc.sections()) {
    if (section.is_default) continue;
    for (const auto& e : section.entries) {
      lines.push_back(section.name + "." + std::string(e.key) + " = " +
                      hparams::Value(e.value).repr());
    }
    if (const auto* defaults = doc.defaults()) {
      for (const auto& e : defaults->entries) {
        if (section.find(e.key) == nullptr) {
          lines.push_back(section.name + "." + std::string(e.key) + " = " +
                          hparams::Value(e.value).repr());
        }
      }
    }
  }
  return lines;
}

// Compares sorted lines, or for "ERROR Kind [section.key]" checks the error.
template <class Produce>
bool check(const fs::path& cfg, const fs::path& expected_file, Produce produce) {
  auto expected = read_lines(expected_file);
  std::sort(expected.begin(), expected.end());
  if (!expected.empty() && expected[0].rfind("ERROR ", 0) == 0) {
    std::istringstream words(expected[0]);
    std::string error_word, kind, key;
    words >> error_word >> kind >> key;
    try {
      produce(cfg);
      ADD_FAILURE() << cfg.filename() << ": expected " << expected[0];
      return false;
    } catch (const hparams::ErrorList& e) {
      bool found = false;
      for (const auto& err : e.errors()) {
        if (err.kind_name() == kind && (key.empty() || err.key() == key)) found = true;
      }
      EXPECT_TRUE(found) << cfg.filename() << ": expected " << expected[0] << ", got " << e.what();
      return found;
    } catch (const hparams::Error& e) {
      bool ok = e.kind_name() == kind && (key.empty() || e.key() == key);
      EXPECT_TRUE(ok) << cfg.filename() << ": expected " << expected[0] << ", got " << e.what();
      return ok;
    }
  }
  auto got = produce(cfg);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected) << cfg.filename();
  return got == expected;
}

TEST(ConfigConformance, ExpectedAndRaw) {
  int files = 0, expected_ok = 0, raw_ok = 0;
  for (const auto& entry : fs::directory_iterator(dir())) {
    if (entry.path().extension() != ".cfg") continue;
    ++files;
    auto base = entry.path();
    if (check(base, fs::path(base).replace_extension(".expected"),
              [](const fs::path& p) { return shown(hparams::Config::load(p)); })) {
      ++expected_ok;
    }
    if (check(base, fs::path(base).replace_extension(".raw"),
              [](const fs::path& p) { return shown_raw(hparams::ini::Document::load(p)); })) {
      ++raw_ok;
    }
  }
  EXPECT_EQ(files, 44);
  std::cout << "[ conformance ] configs: expected " << expected_ok << "/" << files << ", raw "
            << raw_ok << "/" << files << "\n";
}

TEST(ConfigConformance, DocumentsRoundTripByteForByte) {
  for (const auto& entry : fs::directory_iterator(dir())) {
    if (entry.path().extension() != ".cfg") continue;
    std::string bytes = hparams_test::read(entry.path());
    try {
      auto doc = hparams::ini::Document::parse(bytes, entry.path().string());
      EXPECT_EQ(doc.str(), bytes) << entry.path().filename();
    } catch (const hparams::Error&) {
      // err-* files with structural errors do not parse; nothing to print back.
    }
  }
}

}  // namespace
