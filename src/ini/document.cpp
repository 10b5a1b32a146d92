// The configparser-compatible reader (Python 3.11 configparser._read with the original
// library's settings), keeping byte spans and positions so that the document stays lossless.
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <unordered_map>

#include "fs/files.hpp"
#include "hparams/ini.hpp"
#include "huge_pages.hpp"
#include "text/unicode.hpp"

namespace hparams::ini {
namespace {

using detail::decode_utf8;
using detail::is_space;

// Python's str.strip()/regex \s: Unicode whitespace.
inline bool space_at(std::string_view s, std::size_t pos, std::size_t& next) {
  auto c = static_cast<unsigned char>(s[pos]);
  if (c < 0x80) {
    next = pos + 1;
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  }
  next = pos;
  char32_t cp = decode_utf8(s, next);
  return is_space(cp);
}

std::size_t skip_space(std::string_view s, std::size_t pos, std::size_t end) {
  while (pos < end && (s[pos] == ' ' || s[pos] == '\t')) ++pos;  // the common case
  std::size_t next = pos;
  while (pos < end && space_at(s, pos, next)) pos = next;
  return pos;
}

// The end of the text once trailing Unicode whitespace is removed.
std::size_t trim_end(std::string_view s, std::size_t begin, std::size_t end) {
  while (end > begin && (s[end - 1] == ' ' || s[end - 1] == '\t')) --end;
  while (end > begin) {
    auto last = static_cast<unsigned char>(s[end - 1]);
    if (last > ' ' && last < 0x80) break;
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    std::size_t next = start;
    if (!space_at(s, start, next)) break;
    end = start;
  }
  return end;
}

int column_of(std::string_view s, std::size_t line_start, std::size_t pos) {
  int column = 1;
  if (pos - line_start < 64) {
    // Mostly ASCII: a column is a byte count unless continuation bytes appear.
    for (std::size_t i = line_start; i < pos; ++i) {
      column += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 ? 1 : 0;
    }
    return column;
  }
  for (std::size_t i = line_start; i < pos; ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

std::string quote(std::string_view line) {
  // configparser quotes the offending line with repr(); a long line is cut (on a character
  // boundary), so that an error never echoes megabytes.
  constexpr std::size_t kShown = 120;
  std::string_view shown = line;
  if (shown.size() > kShown) {
    std::size_t cut = kShown;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    shown = line.substr(0, cut);
  }
  std::string out = "'";
  for (char c : shown) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += "'";
  if (shown.size() < line.size()) out += "... (" + std::to_string(line.size()) + " bytes)";
  return out;
}

}  // namespace

std::string lower_key(std::string_view key) {
  bool ascii = true;
  for (unsigned char c : key) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    std::string out(key);
    for (char& c : out) c = static_cast<char>(c + ((c >= 'A' && c <= 'Z') ? 32 : 0));
    return out;  // short keys stay in the string's own buffer: no allocation
  }
  return detail::from_u32(detail::lower_string(detail::to_u32(key)));
}

SourceLocation Document::locate(const Entry& e, int line_in_value, int column_in_value) const {
  if (line_in_value <= 1 || e.continuation == 0) {
    return {file_, e.value_line, column_in_value > 0 ? e.value_column + column_in_value - 1 : 0};
  }
  const auto& lines = continuations_[e.continuation - 1];
  auto index = static_cast<std::size_t>(line_in_value - 1);
  if (index >= lines.size()) index = lines.size() - 1;
  auto [line, column] = lines[index];
  return {file_, line, column_in_value > 0 ? column + column_in_value - 1 : 0};
}

std::vector<std::pair<int, int>>& Document::continue_value(Entry& e) {
  if (e.continuation == 0) {
    continuations_.push_back({{e.value_line, e.value_column}});
    e.continuation = static_cast<std::uint32_t>(continuations_.size());
  }
  return continuations_[e.continuation - 1];
}

const Entry* Section::find(std::string_view key) const {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

const Section* Document::find_section(std::string_view name) const {
  for (const Section& s : sections_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const Section* Document::defaults() const {
  for (const Section& s : sections_) {
    if (s.is_default) return &s;
  }
  return nullptr;
}

const Entry* Document::find(std::string_view section, std::string_view key) const {
  const Section* s = find_section(section);
  return s == nullptr ? nullptr : s->find(key);
}

std::string_view Document::line_text(int line) const {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts_.size()) return {};
  std::size_t begin = line_starts_[static_cast<std::size_t>(line) - 1];
  std::size_t end = begin;
  while (end < text_.size() && text_[end] != '\n' && text_[end] != '\r') ++end;
  return std::string_view(text_).substr(begin, end - begin);
}

Document Document::load(const std::filesystem::path& path, std::size_t max_bytes) {
  return parse(files::read_regular(path, max_bytes), path.string());
}

Document::Document(const Document& other) : Document(parse(other.text_, other.file_)) {}

Document& Document::operator=(const Document& other) {
  if (this != &other) *this = parse(other.text_, other.file_);
  return *this;
}

namespace {
// Whether configparser's lower() changes the key (upper-case ASCII, or anything non-ASCII).
bool needs_lowering(std::string_view key) {
  for (unsigned char c : key) {
    if ((c >= 'A' && c <= 'Z') || c >= 0x80) return true;
  }
  return false;
}
}  // namespace

Document Document::parse(std::string text, std::string file) {
  if (text.size() >= 0xFFFFFFFFu) {
    throw Error(ErrorKind::ParsingError, "a .cfg file of 4 GiB or more is not read",
                SourceLocation{file});
  }
  Document doc;
  doc.text_ = std::move(text);
  // Entries are views into the text: keep it in heap storage, which a move does not relocate.
  if (doc.text_.capacity() < 16) doc.text_.reserve(16);
  doc.file_ = std::move(file);
  const std::string_view s = doc.text_;
  // The joined texts of multi-line values, by continuation index, built in doc.owned_.
  std::vector<std::string*> builders;
  auto builder = [&](Entry& e) -> std::string& {
    doc.continue_value(e);
    if (builders.size() < e.continuation) {
      builders.push_back(&doc.owned_.emplace_back(e.value));
    }
    return *builders[e.continuation - 1];
  };
  std::vector<Error> errors;
  std::vector<std::string> error_lines;
  auto error = [&](ErrorKind kind, std::string message, int line, int column,
                   std::string key = {}) {
    errors.emplace_back(kind, std::move(message), SourceLocation{doc.file_, line, column},
                        std::move(key));
    error_lines.emplace_back(doc.line_text(line));
  };

  std::unordered_map<std::string_view, std::size_t> section_index;  // names: views into the text
  section_index.reserve(s.size() / 512 + 8);
  std::size_t pos = 0;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // a UTF-8 BOM is not part of the first line
  // Room for a line or an entry per 16 bytes: untouched capacity costs address space only.
  doc.line_starts_.reserve(s.size() / 16 + 1);
  doc.entries_.reserve(s.size() / 16 + 1);
  detail::advise_huge_pages(doc.entries_.data(), doc.entries_.capacity() * sizeof(Entry));

  // Most files are ASCII with '\n' line breaks; checking that once lets each line's end be
  // found with memchr.
  const bool plain = [&] {
    if (std::memchr(s.data(), '\r', s.size()) != nullptr) return false;
    std::uint64_t any = 0;
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      any |= word;
    }
    for (; i < s.size(); ++i) any |= static_cast<unsigned char>(s[i]);
    return (any & 0x8080808080808080ULL) == 0;
  }();
  std::ptrdiff_t current = -1;  // section index
  bool entry_open = false;      // continuation lines attach to the last entry
  int indent_level = 0;
  bool missing_header_reported = false;
  int line = 0;
  while (pos < s.size()) {
    // Lines end at "\n", "\r\n" or a lone "\r" (Python's universal newlines).
    ++line;
    std::size_t line_start = pos;
    doc.line_starts_.push_back(
        static_cast<std::uint32_t>(line_start == 3 && line == 1 ? 0 : line_start));
    std::size_t line_end = pos;
    unsigned char high = 0;  // any byte >= 0x80 on the line: columns are not byte offsets
    if (plain) {
      // No '\r' and no byte >= 0x80 anywhere: memchr finds the line's end.
      const void* nl = std::memchr(s.data() + pos, '\n', s.size() - pos);
      line_end = nl == nullptr ? s.size()
                               : static_cast<std::size_t>(static_cast<const char*>(nl) - s.data());
    } else {
      while (line_end < s.size() && s[line_end] != '\n' && s[line_end] != '\r') {
        high |= static_cast<unsigned char>(s[line_end]);
        ++line_end;
      }
    }
    const bool ascii = high < 0x80;
    auto column_at = [&](std::size_t p) {
      return ascii ? static_cast<int>(p - line_start) + 1 : column_of(s, line_start, p);
    };
    pos = line_end;
    if (pos < s.size()) pos += (s[pos] == '\r' && pos + 1 < s.size() && s[pos + 1] == '\n') ? 2 : 1;
    if (!ascii) {
      // Python reads the file as UTF-8 and fails on bad bytes; so do we, naming the line.
      std::size_t length = 0;
      bool all_ascii = true;
      if (!detail::validate_utf8(s.substr(line_start, line_end - line_start), length, all_ascii)) {
        error(ErrorKind::ParsingError, "line " + std::to_string(line) + " is not valid UTF-8", line,
              1);
        continue;
      }
    }
    std::size_t begin = skip_space(s, line_start, line_end);
    std::size_t end = trim_end(s, begin, line_end);
    bool comment = begin < end && (s[begin] == '#' || s[begin] == ';');
    if (begin >= end || comment) {
      // A blank line inside a value is kept; a comment line is dropped.
      if (!comment && current >= 0 && entry_open) {
        Entry& e = doc.entries_.back();
        builder(e) += '\n';
        doc.continuations_[e.continuation - 1].emplace_back(line, 1);
      }
      continue;
    }
    int indent = column_at(begin) - 1;
    int column = indent + 1;
    std::string_view content = s.substr(begin, end - begin);
    if (current >= 0 && entry_open && indent > indent_level) {
      Entry& e = doc.entries_.back();
      std::string& joined = builder(e);
      joined += '\n';
      joined.append(content);
      doc.continuations_[e.continuation - 1].emplace_back(line, column);
      e.value_end = static_cast<std::uint32_t>(end);
    } else {
      indent_level = indent;
      auto close = content[0] == '[' ? content.rfind(']') : std::string_view::npos;
      if (close != std::string_view::npos && close > 1) {
        // SECTCRE `\[(?P<header>.+)\]` with match(): up to the last ']', rest ignored.
        std::string_view name = content.substr(1, close - 1);
        entry_open = false;
        auto found = section_index.find(name);
        if (found != section_index.end()) {
          if (name != "DEFAULT") {
            error(ErrorKind::DuplicateSectionError,
                  "section '" + std::string(name) + "' already exists", line, column,
                  std::string(name));
          }
          current = static_cast<std::ptrdiff_t>(found->second);
        } else {
          Section section;
          section.name = name;
          section.line = line;
          section.is_default = name == "DEFAULT";
          section_index.emplace(name, doc.sections_.size());
          current = static_cast<std::ptrdiff_t>(doc.sections_.size());
          doc.sections_.push_back(std::move(section));
        }
      } else if (current < 0) {
        if (!missing_header_reported) {
          error(ErrorKind::MissingSectionHeaderError,
                "File contains no section headers. line " + std::to_string(line) + ": " +
                    quote(content),
                line, column);
          missing_header_reported = true;
        }
      } else {
        // OPTCRE: the option is everything before the first '=' or ':'.
        std::size_t delim = std::string_view::npos;
        for (std::size_t k = 0; k < content.size(); ++k) {
          if (content[k] == '=' || content[k] == ':') {
            delim = k;
            break;
          }
        }
        std::size_t key_end =
            delim == std::string_view::npos ? 0 : trim_end(s, begin, begin + delim);
        if (delim == std::string_view::npos || key_end == begin) {
          error(ErrorKind::ParsingError,
                "Source contains parsing errors: [line " + std::to_string(line) +
                    "]: " + quote(content),
                line, column);
          entry_open = false;
        } else {
          Entry& e = doc.entries_.emplace_back();
          e.section = static_cast<std::uint32_t>(current);
          std::string_view key = s.substr(begin, key_end - begin);
          e.key =
              needs_lowering(key) ? std::string_view(doc.owned_.emplace_back(lower_key(key))) : key;
          e.line = line;
          e.column = column;
          std::size_t value_begin = skip_space(s, begin + delim + 1, end);
          e.value_line = line;
          e.value_column = column_at(value_begin);
          e.value_begin = static_cast<std::uint32_t>(value_begin);
          e.value_end = static_cast<std::uint32_t>(end);
          e.value = s.substr(value_begin, end - value_begin);
          entry_open = true;
        }
      }
    }
  }

  // Join: trailing blank lines and spaces go (configparser's '\n'.join(...).rstrip()).
  for (Entry& e : doc.entries_) {
    if (e.continuation == 0) continue;
    std::string& joined = *builders[e.continuation - 1];
    joined.resize(trim_end(joined, 0, joined.size()));
    e.value = joined;
  }
  // Entries go section after section: only a re-opened [DEFAULT] (or a duplicate section,
  // an error) interleaves them.
  for (std::size_t i = 1; i < doc.entries_.size(); ++i) {
    if (doc.entries_[i].section < doc.entries_[i - 1].section) {
      std::stable_sort(doc.entries_.begin(), doc.entries_.end(),
                       [](const Entry& a, const Entry& b) { return a.section < b.section; });
      break;
    }
  }
  std::size_t first = 0;
  for (std::size_t si = 0; si < doc.sections_.size(); ++si) {
    std::size_t last = first;
    while (last < doc.entries_.size() && doc.entries_[last].section == si) ++last;
    doc.sections_[si].entries = std::span<const Entry>(doc.entries_.data() + first, last - first);
    first = last;
  }

  // Duplicates, section by section (a section's entries are contiguous, so this stays in
  // cache): a few keys are compared pairwise, more go through one reused open-addressing table.
  auto duplicate = [&](const Entry& e) {
    const std::string& section = doc.sections_[e.section].name;
    std::string key(e.key);
    error(ErrorKind::DuplicateOptionError,
          "option '" + key + "' in section '" + section + "' already exists", e.line, e.column,
          section + "." + key);
  };
  std::vector<std::uint32_t> table;
  for (const Section& section : doc.sections_) {
    const std::span<const Entry> entries = section.entries;
    const std::size_t n = entries.size();
    if (n <= 12) {
      for (std::size_t i = 1; i < n; ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (entries[j].key == entries[i].key) {
            duplicate(entries[i]);
            break;
          }
        }
      }
      continue;
    }
    std::size_t size = 16;
    while (size < n * 2) size <<= 1;
    table.assign(size, 0);  // 1 + index in the section; 0 is empty
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t h = std::hash<std::string_view>{}(entries[i].key);
      for (std::size_t slot = h & (size - 1);; slot = (slot + 1) & (size - 1)) {
        if (table[slot] == 0) {
          table[slot] = static_cast<std::uint32_t>(i + 1);
          break;
        }
        if (entries[table[slot] - 1].key == entries[i].key) {
          duplicate(entries[i]);
          break;
        }
      }
    }
  }
  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(), [](const Error& a, const Error& b) {
      return a.location().line < b.location().line;
    });
    std::vector<std::string> lines;
    for (const Error& e : errors) lines.emplace_back(doc.line_text(e.location().line));
    throw ErrorList(std::move(errors), std::move(lines));
  }
  return doc;
}

namespace {
// A value's text as written into the file: continuation lines are indented one level deeper
// than their key (at column `key_indent` + 1) and end with `line_break`.
void append_value_text(std::string& out, std::string_view text, int key_indent,
                       std::string_view line_break) {
  for (char c : text) {
    if (c == '\n') {
      out += line_break;
      out.append(static_cast<std::size_t>(key_indent) + 4, ' ');
    } else {
      out += c;
    }
  }
}
}  // namespace

void Document::edit(std::span<const Edit> edits) {
  // Each edit replaces a byte span of the text; all are computed on the current text, then
  // applied from the end backwards so that earlier offsets stay valid.
  struct Splice {
    std::size_t at = 0, removed = 0, order = 0;
    std::string inserted;
  };
  std::vector<Splice> splices;
  const bool crlf = text_.find("\r\n") != std::string::npos;
  const std::string line_break = crlf ? "\r\n" : "\n";
  for (std::size_t i = 0; i < edits.size(); ++i) {
    const Edit& edit = edits[i];
    const Section* s = find_section(edit.section);
    if (s == nullptr) throw Error(ErrorKind::LookupError, "no section [" + edit.section + "]");
    Splice splice;
    splice.order = i;
    if (!edit.add) {
      const Entry* e = s->find(lower_key(edit.key));
      if (e == nullptr) {
        throw Error(ErrorKind::LookupError,
                    "no entry '" + edit.key + "' in section [" + edit.section + "]");
      }
      splice.at = e->value_begin;
      splice.removed = e->value_end - e->value_begin;
      append_value_text(splice.inserted, edit.text, e->column - 1, line_break);
    } else {
      std::string stored = lower_key(edit.key);
      if (s->find(stored) != nullptr) {
        throw Error(ErrorKind::DuplicateOptionError,
                    "option '" + stored + "' in section '" + edit.section + "' already exists");
      }
      // The new line goes right after the end of the last entry's value (or of the header
      // line), indented like that entry, so comments and blank lines that follow stay put.
      int indent = 0;
      if (!s->entries.empty()) {
        splice.at = s->entries.back().value_end;
        indent = s->entries.back().column - 1;
      } else {
        splice.at = line_starts_[static_cast<std::size_t>(s->line) - 1];
        while (splice.at < text_.size() && text_[splice.at] != '\n' && text_[splice.at] != '\r') {
          ++splice.at;
        }
      }
      splice.inserted =
          line_break + std::string(static_cast<std::size_t>(indent), ' ') + stored + " = ";
      append_value_text(splice.inserted, edit.text, indent, line_break);
    }
    splices.push_back(std::move(splice));
  }
  // Later positions first; at one position, the later edit first, so that the earlier one
  // ends up before it.
  std::sort(splices.begin(), splices.end(), [](const Splice& a, const Splice& b) {
    return a.at != b.at ? a.at > b.at : a.order > b.order;
  });
  std::string edited = text_;
  for (const Splice& splice : splices) edited.replace(splice.at, splice.removed, splice.inserted);
  *this = parse(std::move(edited), file_);
}

void Document::set_value(std::string_view section, std::string_view key, std::string_view text) {
  const Edit one{std::string(section), std::string(key), std::string(text), false};
  edit(std::span<const Edit>(&one, 1));
}

void Document::add_value(std::string_view section, std::string_view key, std::string_view text) {
  const Edit one{std::string(section), std::string(key), std::string(text), true};
  edit(std::span<const Edit>(&one, 1));
}

}  // namespace hparams::ini
