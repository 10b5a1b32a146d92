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

namespace {

// A key as an override writes it: `section.key` (or, after the original's `~~`, a bare key).
bool is_key(std::string_view key, bool bare_allowed) {
  if (key.empty() || key.front() == '-' || key.front() == '.' || key.back() == '.') return false;
  if (!bare_allowed && key.find('.') == std::string_view::npos) return false;
  return std::none_of(key.begin(), key.end(), [](char c) { return is_blank(c) || c == '/'; });
}

}  // namespace

bool is_override(std::string_view argument) {
  // The original's `~~key=value` may name a [DEFAULT] key without a section; `key=value` and
  // `--key=value` without a dot belong to the program (argparse options, file names).
  const bool original = argument.substr(0, 2) == "~~";
  std::string_view body = without_prefix(argument);
  std::size_t eq = body.find('=');
  if (eq == std::string_view::npos || eq == 0) return false;
  return is_key(body.substr(0, eq), original);
}

std::vector<Override> take_overrides(int& argc, char** argv) {
  std::vector<Override> out;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (argv[i] == nullptr) continue;
    std::string_view argument = argv[i];
    std::string_view next = i + 1 < argc && argv[i + 1] != nullptr ? argv[i + 1] : "";
    // An override the shell split (`model.lr = 1e-3`, `model.lr =1e-3`, `model.lr= 1e-3`)
    // would otherwise stay in argv silently, or apply an empty value.
    if (is_key(without_prefix(argument), argument.substr(0, 2) == "~~") &&
        argument.find('=') == std::string_view::npos && !next.empty() && next.front() == '=') {
      throw Error(ErrorKind::ConfigError,
                  "'" + std::string(argument) + "' followed by '" +
                      std::string(next.substr(0, 40)) +
                      "' looks like an override split by the shell: write it as one argument, "
                      "e.g. " +
                      std::string(without_prefix(argument)) +
                      "=VALUE (quoted if VALUE has "
                      "spaces)",
                  SourceLocation{"<command line>"});
    }
    if (is_override(argument)) {
      Override o = parse_override(argument);
      if (o.value.empty() && !next.empty() && next.front() != '-' && !is_override(next)) {
        throw Error(ErrorKind::ConfigError,
                    "override '" + std::string(argument) + "' has no value, and '" +
                        std::string(next.substr(0, 40)) +
                        "' follows it: was it split by the shell? Write " + o.key +
                        "=VALUE as one argument",
                    SourceLocation{"<command line>"}, o.key);
      }
      out.push_back(std::move(o));
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

std::vector<AppliedOverride> resolve_overrides(const Config& config,
                                               const std::vector<Override>& overrides) {
  // The last of two overrides of one key wins.
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
  return applied;
}

void edit_overrides(ini::Document& document, const std::vector<AppliedOverride>& applied) {
  if (applied.empty()) return;
  std::vector<ini::Document::Edit> edits;
  edits.reserve(applied.size());
  for (const AppliedOverride& a : applied) edits.push_back({a.section, a.key, a.value, a.added});
  document.edit(edits);
}

std::vector<AppliedOverride> apply_overrides(ini::Document& document, const Config& config,
                                             const std::vector<Override>& overrides) {
  std::vector<AppliedOverride> applied = resolve_overrides(config, overrides);
  edit_overrides(document, applied);
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

}  // namespace hparams
