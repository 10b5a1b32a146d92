// Overrides from the command line, applied to a document; comparing two configs.
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>

#include "hparams/eval.hpp"
#include "hparams/run.hpp"

namespace hparams {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// repr() for a difference line: long values shortened, unprintable ones described.
std::string shown(const Value& v) {
  try {
    std::string r = v.repr();
    if (r.size() > 200) r = r.substr(0, 197) + "...";
    return r;
  } catch (const Error&) {
    return "<" + std::string(v.type_name()) + " too large to print>";
  }
}

std::string_view without_prefix(std::string_view argument) {
  if (argument.substr(0, 2) == "--" || argument.substr(0, 2) == "~~") argument.remove_prefix(2);
  return argument;
}

}  // namespace

Override parse_override(std::string_view argument) {
  std::string_view body = without_prefix(argument);
  std::size_t eq = body.find('=');
  std::string_view key =
      eq == std::string_view::npos ? std::string_view() : trim(body.substr(0, eq));
  if (eq == std::string_view::npos || key.empty()) {
    throw Error(ErrorKind::ConfigError,
                "override '" + std::string(argument) + "': expected section.key=value");
  }
  return Override{std::string(key), std::string(trim(body.substr(eq + 1))), std::string(argument)};
}

bool is_override(std::string_view argument) {
  std::string_view body = without_prefix(argument);
  std::size_t eq = body.find('=');
  if (eq == std::string_view::npos || eq == 0) return false;
  std::string_view key = body.substr(0, eq);
  if (key.front() == '-' || key.front() == '.' || key.back() == '.') return false;
  if (key.find('.') == std::string_view::npos) return false;
  return std::none_of(key.begin(), key.end(), [](char c) { return is_blank(c) || c == '/'; });
}

std::vector<Override> take_overrides(int& argc, char** argv) {
  std::vector<Override> out;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (argv[i] != nullptr && is_override(argv[i])) {
      out.push_back(parse_override(argv[i]));
    } else {
      argv[kept++] = argv[i];
    }
  }
  if (argc > 0) {
    argc = kept;
    argv[argc] = nullptr;
  }
  return out;
}

std::vector<AppliedOverride> apply_overrides(ini::Document& document, const Config& config,
                                             const std::vector<Override>& overrides) {
  // Resolve and check everything before editing anything; the last of two overrides of one
  // key wins.
  std::vector<AppliedOverride> applied;
  std::map<std::pair<std::string, std::string>, std::size_t> position;
  for (const Override& o : overrides) {
    std::optional<Config::Place> place = config.place(o.key);
    if (!place) {
      Error missing = config.missing_key(o.key);
      throw Error(ErrorKind::LookupError, "override '" + o.argument + "': " + missing.message(),
                  SourceLocation{"<override>"}, o.key);
    }
    if (place->key != "name") {  // run.name, like every `name`, stays raw text
      try {
        evaluate(o.value);
      } catch (const Error& e) {
        throw Error(e.kind(), "override '" + o.argument + "': " + e.message(),
                    SourceLocation{"<override>", e.location().line, e.location().column},
                    place->section + "." + place->key);
      }
    }
    AppliedOverride a{place->section, place->key, o.value, place->inherited};
    auto [it, fresh] = position.emplace(std::make_pair(a.section, a.key), applied.size());
    if (fresh) {
      applied.push_back(std::move(a));
    } else {
      applied[it->second] = std::move(a);
    }
  }
  for (const AppliedOverride& a : applied) {
    if (a.added) {
      document.add_value(a.section, a.key, a.value);
    } else {
      document.set_value(a.section, a.key, a.value);
    }
  }
  return applied;
}

std::vector<Difference> compare(const Config& first, const Config& second) {
  std::vector<Difference> out;
  auto same = [](const Value& a, const Value& b) {
    // By repr(): 1, 1.0 and True differ (a changed type is a change), NaN equals NaN.
    if (a.kind() != b.kind()) return false;
    try {
      return a.repr() == b.repr();
    } catch (const Error&) {
      return a == b;  // ints too long to print
    }
  };
  for (const std::string& section : first.sections()) {
    if (!second.has_section(section)) {
      out.push_back({"[" + section + "]", "present", std::nullopt});
      continue;
    }
    for (const std::string& key : first.keys(section)) {
      const Value& a = first.at(section, key);
      const Value* b = second.find(section, key);
      if (b == nullptr) {
        out.push_back({section + "." + key, shown(a), std::nullopt});
      } else if (!same(a, *b)) {
        out.push_back({section + "." + key, shown(a), shown(*b)});
      }
    }
  }
  for (const std::string& section : second.sections()) {
    if (!first.has_section(section)) {
      out.push_back({"[" + section + "]", std::nullopt, "present"});
      continue;
    }
    for (const std::string& key : second.keys(section)) {
      if (first.find(section, key) == nullptr) {
        out.push_back({section + "." + key, std::nullopt, shown(second.at(section, key))});
      }
    }
  }
  return out;
}

std::optional<int> rank_from_environment() {
  for (const char* variable : {"RANK", "SLURM_PROCID", "OMPI_COMM_WORLD_RANK"}) {
    const char* text = std::getenv(variable);
    if (text == nullptr || *text == '\0') continue;
    char* end = nullptr;
    errno = 0;
    long rank = std::strtol(text, &end, 10);
    if (*end != '\0' || errno != 0 || rank < 0 || rank > 1'000'000'000) {
      throw Error(ErrorKind::ConfigError, std::string(variable) + "='" + text +
                                              "' is not a process rank (a non-negative integer)");
    }
    return static_cast<int>(rank);
  }
  return std::nullopt;
}

}  // namespace hparams
