// The history log of a run: one JSON object per launch, appended by rank 0.
#include "run/history.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <nlohmann/json.hpp>

#include "fs/files.hpp"
#include "fs/sha256.hpp"
#include "hparams/version.hpp"
#include "utc_time.hpp"

namespace hparams {
namespace {

namespace fs = std::filesystem;

// A small text file of the git directory, trimmed; empty when absent or odd. Reads are
// bounded and never throw: a launch must not fail because of git.
std::string small_file(const fs::path& path) {
  try {
    std::string text = files::read_regular(path, 1 << 16);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    return text;
  } catch (const Error&) {
    return {};
  }
}

bool is_commit(std::string_view text) {
  return (text.size() == 40 || text.size() == 64) &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(c) != 0; });
}

}  // namespace

std::string sha256_hex(std::string_view bytes) { return files::sha256_hex(bytes); }

std::string git_commit(const fs::path& directory) {
  std::error_code ec;
  fs::path dir = fs::absolute(directory, ec);
  if (ec) return {};
  for (int depth = 0; depth < 64 && !dir.empty(); ++depth) {
    fs::path dot_git = dir / ".git";
    fs::path git_dir;
    const fs::file_status status = fs::status(dot_git, ec);  // one stat per directory
    if (fs::is_directory(status)) {
      git_dir = dot_git;
    } else if (fs::is_regular_file(status)) {
      // A worktree or a submodule: "gitdir: <path>".
      std::string text = small_file(dot_git);
      if (text.rfind("gitdir:", 0) != 0) return {};
      std::string where = text.substr(7);
      where.erase(0, where.find_first_not_of(' '));
      git_dir = fs::path(where).is_absolute() ? fs::path(where) : dir / where;
    }
    if (!git_dir.empty()) {
      std::string head = small_file(git_dir / "HEAD");
      if (is_commit(head)) return head;  // detached
      if (head.rfind("ref: ", 0) != 0) return {};
      std::string ref = head.substr(5);
      if (ref.find("..") != std::string::npos) return {};
      // Refs live in the common directory of a worktree.
      fs::path common = git_dir;
      if (std::string c = small_file(git_dir / "commondir"); !c.empty()) {
        common = fs::path(c).is_absolute() ? fs::path(c) : git_dir / c;
      }
      for (const fs::path& base : {git_dir, common}) {
        std::string commit = small_file(base / ref);
        if (is_commit(commit)) return commit;
      }
      // Packed refs: "<commit> <ref>" lines.
      std::string packed = small_file(common / "packed-refs");
      std::size_t at = 0;
      while (at < packed.size()) {
        std::size_t end = packed.find('\n', at);
        std::string_view line = std::string_view(packed).substr(
            at, end == std::string::npos ? std::string::npos : end - at);
        if (line.size() > ref.size() + 1 && line.substr(line.size() - ref.size()) == ref &&
            line[line.size() - ref.size() - 1] == ' ') {
          std::string_view commit = line.substr(0, line.size() - ref.size() - 1);
          if (is_commit(commit)) return std::string(commit);
        }
        if (end == std::string::npos) break;
        at = end + 1;
      }
      return {};
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  return {};
}

namespace detail {

std::string command_line() {
  std::string all;
  try {
    all = files::read_regular("/proc/self/cmdline", 1 << 20);
  } catch (const Error&) {
    return {};
  }
  std::string out;
  std::size_t begin = 0;
  while (begin < all.size()) {
    std::size_t end = all.find('\0', begin);
    if (end == std::string::npos) end = all.size();
    std::string arg = all.substr(begin, end - begin);
    bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("-_.,/=:+@%~", c);
    });
    if (!out.empty()) out += ' ';
    if (plain) {
      out += arg;
    } else {
      out += '\'';
      for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += '\'';
    }
    begin = end + 1;
  }
  return out;
}

LaunchRecord this_launch(std::string event, const fs::path& project, const RankInfo& job) {
  LaunchRecord r;
  r.event = std::move(event);
  r.time = utc_now("%Y-%m-%dT%H:%M:%SZ");
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) == 0) r.host = host;
  // The user and the command line are the process's: looked up once (the user database read
  // and /proc/self/cmdline cost more than the rest of a resume's bookkeeping).
  static const std::string user = [] {
    if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) {
      return std::string(pw->pw_name);
    }
    const char* name = std::getenv("USER");
    return std::string(name != nullptr ? name : "");
  }();
  static const std::string command = command_line();
  r.user = user;
  r.command = command;
  r.ranks = job.world_size;
  r.launch_id = job.launch_id;
  r.version = kVersion;
  r.git_commit = git_commit(project);
  return r;
}

void append_launch(const fs::path& history, const LaunchRecord& r) {
  nlohmann::ordered_json j;
  j["event"] = r.event;
  j["time"] = r.time;
  j["host"] = r.host;
  j["user"] = r.user;
  j["command"] = r.command;
  j["ranks"] = r.ranks ? nlohmann::ordered_json(*r.ranks) : nlohmann::ordered_json(nullptr);
  j["launch"] = r.launch_id;
  j["version"] = r.version;
  j["git"] =
      r.git_commit.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.git_commit);
  j["backup"] = r.backup_uri.empty()
                    ? nlohmann::ordered_json(nullptr)
                    : nlohmann::ordered_json{{"uri", r.backup_uri}, {"sha256", r.backup_sha256}};
  auto overrides = nlohmann::ordered_json::array();
  for (const auto& [key, value] : r.overrides) {
    overrides.push_back(nlohmann::ordered_json{{"key", key}, {"value", value}});
  }
  j["overrides"] = std::move(overrides);
  files::append(history, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace detail

std::vector<LaunchRecord> read_history(const fs::path& history_file) {
  std::vector<LaunchRecord> out;
  if (!files::exists_no_follow(history_file)) return out;
  std::string text = files::read_regular(history_file, std::size_t{64} << 20, true);
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    at = end + 1;
    if (line.empty()) continue;
    LaunchRecord r;
    r.line = line;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object()) {
      auto text_of = [&](const char* key) {
        auto it = j.find(key);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
      };
      r.event = text_of("event");
      r.time = text_of("time");
      r.host = text_of("host");
      r.user = text_of("user");
      r.command = text_of("command");
      r.launch_id = text_of("launch");
      r.version = text_of("version");
      r.git_commit = text_of("git");
      if (auto it = j.find("backup"); it != j.end() && it->is_object()) {
        if (it->contains("uri") && (*it)["uri"].is_string()) r.backup_uri = (*it)["uri"];
        if (it->contains("sha256") && (*it)["sha256"].is_string()) {
          r.backup_sha256 = (*it)["sha256"];
        }
      }
      if (auto it = j.find("ranks"); it != j.end() && it->is_number_integer()) {
        r.ranks = it->get<int>();
      }
      if (auto it = j.find("overrides"); it != j.end() && it->is_array()) {
        for (const auto& o : *it) {
          if (o.is_object() && o.contains("key") && o["key"].is_string() && o.contains("value") &&
              o["value"].is_string()) {
            r.overrides.emplace_back(o["key"].get<std::string>(), o["value"].get<std::string>());
          }
        }
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace hparams
