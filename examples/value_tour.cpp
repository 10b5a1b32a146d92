// A tour of the value engine: evaluates every `name = value` line of a file the way an
// hparams config entry is evaluated, then reads some of them back as C++ types.
//
//   value_tour examples/values.txt
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "hparams/hparams.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: value_tour FILE\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "value_tour: cannot open " << argv[1] << "\n";
    return 2;
  }
  std::map<std::string, hparams::Value> values;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string name = line.substr(0, eq - (eq > 0 && line[eq - 1] == ' ' ? 1 : 0));
    std::size_t start = line.find_first_not_of(' ', eq + 1);
    std::string text = start == std::string::npos ? "" : line.substr(start);
    try {
      auto result = hparams::evaluate_detailed(text);
      std::cout << name << " = " << result.value.repr() << "  (" << result.value.type_name()
                << (result.raw_text ? ", raw text" : "") << ")\n";
      values.emplace(name, result.value);
    } catch (const hparams::Error& e) {
      // Relocate the error from the value text into the file: value starts after "name = ".
      hparams::Error located = e.relocated({argv[1], number, static_cast<int>(start) + 1}, 1, name);
      std::cout << located.report(line);
    }
  }
  // Typed access to what was evaluated.
  std::int64_t seed = values.at("seed").as_int64();
  double lr = values.at("lr").as_double();
  std::int64_t stride_sum = 0;
  for (const auto& s : values.at("up_strides").items()) stride_sum += s.as_int64();
  std::cout << "\nseed " << seed << ", lr " << lr << ", optimizer "
            << values.at("optimizer").as_str() << ", " << values.at("up_strides").size()
            << " strides summing to " << stride_sum << "\n";
  return 0;
}
