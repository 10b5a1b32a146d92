// Config: evaluates every entry of a document once, and answers lookups by qualified,
// unqualified and normalised names.
#include "hparams/config.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "hparams/json.hpp"
#include "value/value_impl.hpp"

namespace hparams {
namespace {

struct Item {
  const ini::Entry* entry = nullptr;  // its section: Impl::section_of(*this)
  Value value;
};

std::uint64_t key_hash(std::uint32_t section, std::string_view key) {
  return detail::mix_hash(std::hash<std::string_view>{}(key) ^
                          (static_cast<std::uint64_t>(section) << 32));
}

std::string normalise(std::string_view name) {
  std::string out = ini::lower_key(name);
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    bool alnum = (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80;
    if (!alnum) c = '_';
  }
  return out;
}

// A SyntaxError on what looks like an unquoted path (/datasets/cifar10, ~/data, ./runs) gets
// the hint to quote it: text is only text when it is quoted or made of names.
std::string quote_hint(const Error& e, std::string_view text) {
  if (e.kind() != ErrorKind::SyntaxError || text.empty() || text.size() > 200) return {};
  bool path = text.front() == '/' || text.substr(0, 2) == "~/" || text.substr(0, 2) == "./" ||
              text.substr(0, 3) == "../";
  path = path && std::none_of(text.begin(), text.end(), [](char c) {
           return c == '\'' || c == '"' || c == ' ' || c == '\n';
         });
  if (!path) return {};
  return "; quote text: '" + std::string(text) + "'";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The texts evaluated during one load and their values: open addressing in one array (no
// allocation per text), doubled at half load.
class Memo {
 public:
  const Value* find(std::string_view text, std::uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = hash & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.hash == hash && s.text == text) return &s.value;
    }
  }
  void insert(std::string_view text, std::uint64_t hash, const Value& value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(Slot{hash, text, value, true});
    ++size_;
  }
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::string_view text;
    Value value;
    bool used = false;
  };
  void place(Slot slot) {
    for (std::size_t i = slot.hash & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      if (!slots_[i].used) {
        slots_[i] = std::move(slot);
        return;
      }
    }
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    for (Slot& s : old) {
      if (s.used) place(std::move(s));
    }
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace

struct Config::Impl {
  struct SectionView {
    const ini::Section* section = nullptr;
    std::uint32_t id = 0;
    std::string normalised;
    std::uint32_t begin = 0, end = 0;  // own items: items[begin, end)
    // This section's own table in `slots` (slots[table, table + mask + 1)); none (mask 0)
    // for a few keys, which are compared one by one.
    std::uint32_t table = 0, mask = 0;
    mutable std::once_flag dict_once;
    mutable Value dict;
  };
  ini::Document document;
  std::vector<Item> items;  // every section's own entries, section after section
  // [DEFAULT] values that did not evaluate, by item index (items of DEFAULT come first), and
  // the warnings that say so.
  std::vector<std::pair<std::uint32_t, Error>> failed_defaults;
  std::vector<Error> warnings;

  const Value& value_of(const Item& i) const {
    if (!failed_defaults.empty()) {
      auto index = static_cast<std::uint32_t>(&i - items.data());
      for (const auto& [failed, error] : failed_defaults) {
        if (failed == index) throw error;
      }
    }
    return i.value;
  }
  std::vector<std::unique_ptr<SectionView>> sections;  // without DEFAULT
  SectionView defaults;                                // index kDefaults
  std::unordered_map<std::string_view, std::uint32_t> section_index;
  // The view id of each document section (kDefaults for DEFAULT).
  std::vector<std::uint32_t> view_of;
  // Open addressing over each section's items by key, every section's table in one array:
  // building and probing stay within one section's memory.
  std::vector<std::uint32_t> slots;
  static constexpr std::uint32_t kLinear = 12;  // sections up to this size have no table
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFF;
  static constexpr std::uint32_t kDefaults = 0xFFFFFFFE;

  const SectionView& view(std::uint32_t index) const {
    return index == kDefaults ? defaults : *sections[index];
  }
  std::uint32_t section_id(const SectionView* s) const { return s->id; }
  std::uint32_t section_of(const Item& i) const { return view_of[i.entry->section]; }

  void build_index() {
    auto size_of = [](const SectionView& v) {
      std::uint32_t n = v.end - v.begin;
      if (n <= kLinear) return std::uint32_t{0};
      std::uint32_t size = 16;
      while (size < n + n / 2) size <<= 1;  // load at most 2/3
      return size;
    };
    std::size_t total = size_of(defaults);
    for (const auto& v : sections) total += size_of(*v);
    slots.assign(total, kEmpty);
    std::uint32_t next = 0;
    auto build = [&](SectionView& v) {
      std::uint32_t size = size_of(v);
      if (size == 0) return;
      v.table = next;
      v.mask = size - 1;
      next += size;
      for (std::uint32_t i = v.begin; i < v.end; ++i) {
        std::size_t slot = key_hash(v.id, items[i].entry->key) & v.mask;
        while (slots[v.table + slot] != kEmpty) slot = (slot + 1) & v.mask;
        slots[v.table + slot] = i;
      }
    };
    build(defaults);
    for (auto& v : sections) build(*v);
  }

  const Item* own(std::uint32_t section, std::string_view key) const {
    const SectionView& v = view(section);
    if (v.mask == 0) {
      for (std::uint32_t i = v.begin; i < v.end; ++i) {
        if (items[i].entry->key == key) return &items[i];
      }
      return nullptr;
    }
    for (std::size_t slot = key_hash(section, key) & v.mask;; slot = (slot + 1) & v.mask) {
      std::uint32_t i = slots[v.table + slot];
      if (i == kEmpty) return nullptr;
      if (items[i].entry->key == key) return &items[i];
    }
  }

  const SectionView* section(std::string_view name) const {
    auto it = section_index.find(name);
    if (it != section_index.end()) return sections[it->second].get();
    std::string wanted = normalise(name);
    const SectionView* found = nullptr;
    for (const auto& s : sections) {
      if (s->normalised == wanted) {
        if (found != nullptr) return nullptr;  // ambiguous in normalised form
        found = s.get();
      }
    }
    return found;
  }

  // A key of a section: its own, else inherited from DEFAULT; exact, lower-cased, normalised.
  const Item* item(const SectionView& s, std::string_view key) const {
    std::uint32_t id = section_id(&s);
    for (int pass = 0; pass < 2; ++pass) {
      std::string lowered;
      std::string_view k = key;
      if (pass == 1) {
        lowered = ini::lower_key(key);
        if (lowered == key) break;
        k = lowered;
      }
      if (const Item* i = own(id, k)) return i;
      if (id != kDefaults) {
        if (const Item* i = own(kDefaults, k)) return i;
      }
    }
    std::string wanted = normalise(key);
    const Item* found = nullptr;
    auto scan = [&](const SectionView& v) {
      for (std::uint32_t i = v.begin; i < v.end; ++i) {
        if (normalise(items[i].entry->key) == wanted) {
          if (found != nullptr && found->entry->key != items[i].entry->key) return false;
          if (found == nullptr) found = &items[i];
        }
      }
      return true;
    };
    if (!scan(s)) return nullptr;
    if (found == nullptr && id != kDefaults && !scan(defaults)) return nullptr;
    return found;
  }

  const Item* lookup(std::string_view key) const {
    // "section.key": sections and keys may both hold dots, so try every split.
    for (std::size_t dot = key.find('.'); dot != std::string_view::npos;
         dot = key.find('.', dot + 1)) {
      std::string_view section_name = key.substr(0, dot);
      const SectionView* s = section_name == "DEFAULT" ? &defaults : section(section_name);
      if (s == nullptr) continue;
      if (const Item* i = item(*s, key.substr(dot + 1))) return i;
    }
    // An unqualified key: DEFAULT's, or the one section that has it.
    if (const Item* i = item(defaults, key)) return i;
    const Item* found = nullptr;
    std::vector<std::string> candidates;
    for (const auto& s : sections) {
      if (const Item* i = item(*s, key)) {
        found = i;
        candidates.push_back(s->section->name + "." + std::string(i->entry->key));
      }
    }
    if (candidates.size() > 1) {
      std::string list;
      for (const auto& c : candidates) list += (list.empty() ? "" : ", ") + c;
      throw Error(ErrorKind::LookupError,
                  "key '" + std::string(key) + "' is ambiguous: it is in " + list +
                      "; qualify it with its section",
                  SourceLocation{document.file()}, std::string(key));
    }
    return found;
  }

  // Own keys in file order, then inherited DEFAULT keys the section does not override.
  template <class F>
  void for_each(const SectionView& s, F&& f) const {
    for (std::uint32_t i = s.begin; i < s.end; ++i) f(items[i]);
    if (&s == &defaults) return;
    std::uint32_t id = section_id(&s);
    for (std::uint32_t i = defaults.begin; i < defaults.end; ++i) {
      if (own(id, items[i].entry->key) == nullptr) f(items[i]);
    }
  }

  std::string owner_name(const Item& i) const { return view(section_of(i)).section->name; }

  std::string hint(std::string_view key) const {
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, key.size() / 3) + 1;
    std::size_t budget = 20000;
    auto consider = [&](const std::string& candidate) {
      std::size_t d = edit_distance(key, candidate);
      if (d < best_distance) {
        best_distance = d;
        best = candidate;
      }
    };
    for (const Item& i : items) {
      if (budget-- == 0) break;
      consider(owner_name(i) + "." + std::string(i.entry->key));
      consider(std::string(i.entry->key));
    }
    return best.empty() ? std::string() : "; did you mean '" + best + "'?";
  }

  Error missing_error(std::string_view key) const {
    return Error(ErrorKind::LookupError,
                 "no key '" + std::string(key) + "' in " + document.file() + hint(key),
                 SourceLocation{document.file()}, std::string(key));
  }
  [[noreturn]] void missing(std::string_view key) const { throw missing_error(key); }
};

Config::Config(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;
Config::~Config() = default;

Config Config::load(const std::filesystem::path& path, const LoadOptions& options) {
  return from_document(ini::Document::load(path, options.max_file_bytes), options);
}

Config Config::parse(std::string text, std::string file, const LoadOptions& options) {
  return from_document(ini::Document::parse(std::move(text), std::move(file)), options);
}

Config Config::from_document(ini::Document document, const LoadOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->document = std::move(document);
  const ini::Document& doc = impl->document;
  std::vector<Error> errors;
  std::vector<std::string> error_lines;
  // Evaluation is pure and values are immutable, so a text that appears several times in the
  // file is evaluated once and its value shared (strs, names, containers: one object each).
  // Numbers live inside the Value and need no sharing. The memo is bounded, so a file of
  // only distinct texts does not pay for it.
  Memo evaluated;
  constexpr std::size_t kMemoLimit = 1 << 16;

  // Values of a previous load of the same (or a similar) document. Byte-identical texts have
  // the same entries in the same order, so the values are taken by position.
  const Config* reuse = options.reuse;
  const bool same_text = reuse != nullptr && reuse->document().str() == doc.str() &&
                         reuse->impl_->items.size() == doc.entries().size();
  std::size_t position = 0;
  // A [DEFAULT] value that did not evaluate there is evaluated again, so that its error (or
  // warning) is this load's too.
  auto reused = [&](const ini::Section& section, const ini::Entry& entry) -> const Value* {
    if (reuse == nullptr) return nullptr;
    if (same_text) {
      for (const auto& failed : reuse->impl_->failed_defaults) {
        if (failed.first == position) return nullptr;
      }
      return &reuse->impl_->items[position].value;
    }
    const ini::Entry* before = reuse->document().find(section.name, entry.key);
    if (before == nullptr || before->value != entry.value) return nullptr;
    try {
      return reuse->find(section.name, entry.key);
    } catch (const Error&) {
      return nullptr;
    }
  };

  // The values of the file together, against max_values_bytes: once it is used up nothing
  // more is evaluated (a small file must not take gigabytes).
  std::size_t held = 0;
  bool exhausted = false;
  auto hold = [&](std::size_t bytes, const ini::Section& section, const ini::Entry& entry) {
    held += bytes;
    if (held <= options.max_values_bytes) return;
    exhausted = true;
    SourceLocation where = doc.locate(entry, 1, 1);
    errors.emplace_back(ErrorKind::MemoryError,
                        "the values of this file hold more than " +
                            std::to_string(options.max_values_bytes >> 20) +
                            " MiB together (LoadOptions::max_values_bytes); nothing after this "
                            "value was evaluated",
                        where, section.name + "." + std::string(entry.key));
    error_lines.emplace_back(doc.line_text(where.line));
  };

  // Errors of [DEFAULT] values wait until it is known which sections inherit them.
  std::vector<std::pair<std::uint32_t, Error>> default_errors;
  bool evaluating_defaults = false;

  auto evaluate_entry = [&](const ini::Section& section, const ini::Entry& entry) -> Value {
    if (exhausted || !options.evaluate) return Value();
    if (const Value* v = reused(section, entry)) return *v;
    // The key `name` is always its raw text (the run name, a model name...).
    if (entry.key == "name") {
      try {
        detail::check_size(entry.value.size(), "a value's raw text");
      } catch (const Error& e) {
        SourceLocation where = doc.locate(entry, 1, 1);
        errors.emplace_back(e.kind(), e.message(), where,
                            section.name + "." + std::string(entry.key));
        error_lines.emplace_back(doc.line_text(where.line));
        return Value();
      }
      hold(entry.value.size() + 64, section, entry);
      return detail::make_str(std::string(entry.value));
    }
    const char first = entry.value.empty() ? '\0' : entry.value.front();
    const bool number_like = (first >= '0' && first <= '9') || first == '-' || first == '+' ||
                             first == '.' || entry.value == "True" || entry.value == "False" ||
                             entry.value == "None";  // values held inside the Value itself
    if (number_like) {
      if (Evaluation literal; detail::evaluate_literal(entry.value, literal)) return literal.value;
    }
    const std::uint64_t hash = detail::mix_hash(std::hash<std::string_view>{}(entry.value));
    if (const Value* seen = evaluated.find(entry.value, hash)) return *seen;
    try {
      Value v;
      if (Evaluation literal; !number_like && detail::evaluate_literal(entry.value, literal)) {
        v = literal.value;
        hold(entry.value.size() + 64, section, entry);
      } else {
        Evaluation e = evaluate_detailed(entry.value, options.limits);
        v = std::move(e.value);
        // Small evaluations count what they allocated; large ones what their value holds.
        hold(e.allocated_bytes <= 4096 ? e.allocated_bytes : detail::retained_bytes(v), section,
             entry);
      }
      if (evaluated.size() < kMemoLimit) evaluated.insert(entry.value, hash, v);
      return v;
    } catch (const Error& e) {
      SourceLocation where = doc.locate(entry, e.location().line, e.location().column);
      if (evaluating_defaults) {
        default_errors.emplace_back(static_cast<std::uint32_t>(position),
                                    Error(e.kind(), e.message() + quote_hint(e, entry.value), where,
                                          "DEFAULT." + std::string(entry.key)));
        return Value();
      }
      errors.emplace_back(e.kind(), e.message() + quote_hint(e, entry.value), where,
                          section.name + "." + std::string(entry.key));
      error_lines.emplace_back(doc.line_text(where.line));
      return Value();
    }
  };

  std::size_t total = 0;
  for (const ini::Section& section : doc.sections()) total += section.entries.size();
  impl->items.reserve(total);
  static const ini::Section kNoDefaults{"DEFAULT", 0, true, {}};
  const ini::Section* default_section = doc.defaults();
  impl->defaults.section = default_section != nullptr ? default_section : &kNoDefaults;
  impl->defaults.id = Impl::kDefaults;
  impl->defaults.begin = 0;
  evaluating_defaults = true;
  for (const ini::Entry& entry : impl->defaults.section->entries) {
    impl->items.push_back({&entry, evaluate_entry(*impl->defaults.section, entry)});
    ++position;
  }
  evaluating_defaults = false;
  impl->defaults.end = static_cast<std::uint32_t>(impl->items.size());
  impl->view_of.assign(doc.sections().size(), Impl::kDefaults);
  impl->section_index.reserve(doc.sections().size());
  for (const ini::Section& section : doc.sections()) {
    if (section.is_default) continue;
    impl->view_of[static_cast<std::size_t>(&section - doc.sections().data())] =
        static_cast<std::uint32_t>(impl->sections.size());
    auto view = std::make_unique<Impl::SectionView>();
    auto id = static_cast<std::uint32_t>(impl->sections.size());
    view->section = &section;
    view->id = id;
    view->normalised = normalise(section.name);
    view->begin = static_cast<std::uint32_t>(impl->items.size());
    for (const ini::Entry& entry : section.entries) {
      impl->items.push_back({&entry, evaluate_entry(section, entry)});
      ++position;
    }
    view->end = static_cast<std::uint32_t>(impl->items.size());
    impl->section_index.emplace(section.name, id);
    impl->sections.push_back(std::move(view));
  }
  impl->build_index();
  // A bad [DEFAULT] value is an error of every section that inherits it (named there, placed
  // at the [DEFAULT] line); inherited by none, it is only a warning.
  for (auto& [index, error] : default_errors) {
    const std::string_view key = impl->items[index].entry->key;
    bool inherited = false;
    for (const auto& view : impl->sections) {
      if (impl->own(view->id, key) != nullptr) continue;
      inherited = true;
      errors.emplace_back(error.kind(), error.message(), error.location(),
                          view->section->name + "." + std::string(key));
      error_lines.emplace_back(doc.line_text(error.location().line));
    }
    if (!inherited) {
      impl->warnings.push_back(Error(error.kind(),
                                     error.message() + " (no section inherits this [DEFAULT] "
                                                       "value, so it is not an error of the file)",
                                     error.location(), error.key()));
    }
    impl->failed_defaults.emplace_back(index, std::move(error));
  }
  if (options.strict && options.evaluate && errors.empty()) {
    // Strict: what lint() finds is an error of the load (the config is complete by now).
    Config whole(std::move(impl));
    std::vector<Error> lints = whole.lint();
    if (lints.empty()) return whole;
    for (Error& e : lints) {
      error_lines.emplace_back(doc.line_text(e.location().line));
      errors.push_back(std::move(e));
    }
    throw ErrorList(std::move(errors), std::move(error_lines));
  }
  if (!errors.empty()) {
    if (!default_errors.empty()) {
      // File order, as the errors of one pass are reported.
      std::vector<std::size_t> order(errors.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return errors[a].location().line < errors[b].location().line;
      });
      std::vector<Error> sorted_errors;
      std::vector<std::string> sorted_lines;
      for (std::size_t i : order) {
        sorted_errors.push_back(std::move(errors[i]));
        sorted_lines.push_back(std::move(error_lines[i]));
      }
      errors = std::move(sorted_errors);
      error_lines = std::move(sorted_lines);
    }
    throw ErrorList(std::move(errors), std::move(error_lines));
  }
  return Config(std::move(impl));
}

const ini::Document& Config::document() const noexcept { return impl_->document; }
ini::Document Config::release_document() && { return std::move(impl_->document); }
const std::vector<Error>& Config::warnings() const noexcept { return impl_->warnings; }
const std::string& Config::file() const noexcept { return impl_->document.file(); }

void detail::rename_source(Config& config, std::string file) {
  // Stored errors (warnings, [DEFAULT] values that did not evaluate) name the old file: the
  // caller renames only a config without them.
  config.impl_->document.rename(std::move(file));
}

std::vector<std::string> Config::sections() const {
  std::vector<std::string> out;
  out.reserve(impl_->sections.size());
  for (const auto& s : impl_->sections) out.push_back(s->section->name);
  return out;
}

bool Config::has_section(std::string_view section) const {
  return impl_->section(section) != nullptr;
}

std::vector<std::string> Config::keys(std::string_view section) const {
  const Impl::SectionView* s = section == "DEFAULT" ? &impl_->defaults : impl_->section(section);
  if (s == nullptr) {
    throw Error(ErrorKind::LookupError, "no section [" + std::string(section) + "] in " + file(),
                SourceLocation{file()});
  }
  std::vector<std::string> out;
  impl_->for_each(*s, [&](const Item& i) { out.emplace_back(i.entry->key); });
  return out;
}

const Value* Config::find(std::string_view key) const {
  if (const Item* i = impl_->lookup(key)) return &impl_->value_of(*i);
  // A section name alone: the section as a dict.
  if (const Impl::SectionView* s = impl_->section(key)) {
    std::call_once(s->dict_once, [&] { s->dict = section_dict(s->section->name); });
    return &s->dict;
  }
  return nullptr;
}

const Value* Config::find(std::string_view section, std::string_view key) const {
  const Impl::SectionView* s = section == "DEFAULT" ? &impl_->defaults : impl_->section(section);
  if (s == nullptr) return nullptr;
  const Item* i = impl_->item(*s, key);
  return i == nullptr ? nullptr : &impl_->value_of(*i);
}

const Value& Config::at(std::string_view key) const {
  const Value* v = find(key);
  if (v == nullptr) impl_->missing(key);
  return *v;
}

const Value& Config::at(std::string_view section, std::string_view key) const {
  const Value* v = find(section, key);
  if (v == nullptr) impl_->missing(std::string(section) + "." + std::string(key));
  return *v;
}

std::optional<Config::Place> Config::place(std::string_view key) const {
  for (std::size_t dot = key.find('.'); dot != std::string_view::npos;
       dot = key.find('.', dot + 1)) {
    std::string_view section_name = key.substr(0, dot);
    const Impl::SectionView* s =
        section_name == "DEFAULT" ? &impl_->defaults : impl_->section(section_name);
    if (s == nullptr) continue;
    if (const Item* i = impl_->item(*s, key.substr(dot + 1))) {
      bool inherited = impl_->section_of(*i) != s->id;
      return Place{s->section->name, std::string(i->entry->key), inherited};
    }
  }
  if (const Item* i = impl_->lookup(key))
    return Place{impl_->owner_name(*i), std::string(i->entry->key)};
  return std::nullopt;
}

Error Config::missing_key(std::string_view key) const { return impl_->missing_error(key); }

std::string_view Config::raw(std::string_view key) const {
  const Item* i = impl_->lookup(key);
  if (i == nullptr) impl_->missing(key);
  return i->entry->value;
}

Value Config::section_dict(std::string_view section) const {
  const Impl::SectionView* s = section == "DEFAULT" ? &impl_->defaults : impl_->section(section);
  if (s == nullptr) {
    throw Error(ErrorKind::LookupError, "no section [" + std::string(section) + "] in " + file(),
                SourceLocation{file()});
  }
  std::vector<std::pair<Value, Value>> entries;
  impl_->for_each(*s, [&](const Item& i) {
    entries.emplace_back(detail::make_str(std::string(i.entry->key)), impl_->value_of(i));
  });
  return Value::dict(std::move(entries));
}

Value Config::to_dict() const {
  std::vector<std::pair<Value, Value>> entries;
  for (const auto& s : impl_->sections) {
    entries.emplace_back(detail::make_str(s->section->name), section_dict(s->section->name));
  }
  return Value::dict(std::move(entries));
}

std::string Config::to_json(int indent) const { return hparams::to_json(to_dict(), indent); }

std::string Config::qualified(std::string_view key) const {
  if (const Item* i = impl_->lookup(key))
    return impl_->owner_name(*i) + "." + std::string(i->entry->key);
  return std::string(key);
}

void Config::rethrow_located(const Error& e, std::string_view key) const {
  const Item* i = impl_->lookup(key);
  if (i == nullptr) throw e;
  SourceLocation where{file(), i->entry->value_line, i->entry->value_column};
  throw Error(e.kind(), e.message(), where,
              impl_->owner_name(*i) + "." + std::string(i->entry->key));
}

// ---- convert.hpp helpers ----------------------------------------------------------------

namespace detail {

void conversion_error(std::string_view path, std::string_view expected, const Value& got) {
  std::string shown = got.repr();
  if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
  throw Error(ErrorKind::TypeError, std::string(path) + ": expected " + std::string(expected) +
                                        ", got " + std::string(got.type_name()) + " " + shown);
}

void range_error(std::string_view path, const Value& got, std::string_view type) {
  throw Error(ErrorKind::OverflowError,
              std::string(path) + ": " + got.repr() + " does not fit " + std::string(type));
}

std::string index_path(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

std::string key_path(std::string_view path, const Value& key) {
  return std::string(path) + "[" + key.repr() + "]";
}

std::span<const Value> sequence_items(const Value& v, std::string_view path,
                                      std::string_view expected) {
  if (!v.is_list() && !v.is_tuple()) conversion_error(path, expected, v);
  return v.items();
}

}  // namespace detail

bool Field::has(std::string_view key) const {
  if (!value_.is_dict()) detail::conversion_error(path_, "dict", value_);
  return value_.find(Value(key)) != nullptr;
}

const Value& Field::member(std::string_view key) const {
  if (!value_.is_dict()) detail::conversion_error(path_, "dict", value_);
  const Value* v = value_.find(Value(key));
  if (v == nullptr) {
    throw Error(ErrorKind::LookupError, path_ + ": no key '" + std::string(key) + "'");
  }
  return *v;
}

}  // namespace hparams
