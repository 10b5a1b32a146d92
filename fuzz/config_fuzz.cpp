// libFuzzer target for the .cfg document reader and Config evaluation. Invariants: any input
// parses or raises hparams::Error; a parsed document prints back byte for byte; setting an
// entry to its own value reads back the same value; evaluation never crashes.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

#include "hparams/config.hpp"
#include "time_bound.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  struct Bound {
    std::chrono::steady_clock::time_point start;
    const std::string& text;
    ~Bound() { hparams_fuzz::check_time_bound(start, text); }
  } bound{std::chrono::steady_clock::now(), text};
  hparams::ini::Document doc;
  try {
    doc = hparams::ini::Document::parse(text, "fuzz.cfg");
  } catch (const hparams::Error&) {
    return 0;
  }
  if (doc.str() != text) {
    std::cerr << "document does not print back its input\n";
    std::abort();
  }
  for (const auto& section : doc.sections()) {
    if (section.entries.empty()) continue;
    const auto& entry = section.entries.front();
    hparams::ini::Document edited = doc;
    try {
      edited.set_value(section.name, entry.key, entry.value);
    } catch (const hparams::Error& e) {
      std::cerr << "set_value of an entry's own value failed: " << e.what() << "\n";
      std::abort();
    }
    const auto* again = edited.find(section.name, entry.key);
    if (again == nullptr || again->value != entry.value) {
      std::cerr << "set_value round trip changed [" << section.name << "] " << entry.key << "\n";
      std::abort();
    }
    break;
  }
  hparams::LoadOptions options;
  options.limits.max_steps = 100'000;
  try {
    auto config = hparams::Config::from_document(std::move(doc), options);
    for (const auto& section : config.sections()) {
      for (const auto& key : config.keys(section)) (void)config.at(section, key).repr();
    }
  } catch (const hparams::Error&) {
  }
  return 0;
}
