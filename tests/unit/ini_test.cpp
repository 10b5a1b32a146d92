// The .cfg dialect: every case of ini/corners.txt against CPython configparser's parse of it
// (ini/corners.tsv, tools/gen/ini_expect.py), lossless printing, and value edits.
#include "hparams/ini.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "hparams/value.hpp"

namespace {

using hparams::ini::Document;

std::string data(const std::string& name) {
  std::ifstream in(std::string(HPARAMS_TEST_DATA) + "/unit/ini/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string decode(const std::string& title, std::string text) {
  for (auto [from, to] :
       {std::pair<std::string, std::string>{"\\r", "\r"}, {"\\ufeff", "\xEF\xBB\xBF"}}) {
    for (auto p = text.find(from); p != std::string::npos; p = text.find(from, p + to.size())) {
      text.replace(p, from.size(), to);
    }
  }
  return title == "no trailing newline" ? text : text + "\n";
}

std::string describe(const std::string& text) {
  try {
    auto doc = Document::parse(text, "corner.cfg");
    std::string out;
    auto add = [&](const std::string& section, const hparams::ini::Entry& e) {
      if (!out.empty()) out += " | ";
      out += section + "." + std::string(e.key) + "=" + hparams::Value(e.value).repr();
    };
    if (const auto* d = doc.defaults()) {
      for (const auto& e : d->entries) add("DEFAULT", e);
    }
    for (const auto& s : doc.sections()) {
      if (s.is_default) continue;
      for (const auto& e : s.entries) add(s.name, e);
    }
    EXPECT_EQ(doc.str(), text) << "lossless";
    return out;
  } catch (const hparams::Error& e) {
    return "ERROR " + std::string(e.kind_name()) + " line " + std::to_string(e.location().line);
  }
}

TEST(Ini, CornersMatchConfigparser) {
  std::map<std::string, std::string> expected;
  std::istringstream tsv(data("corners.tsv"));
  for (std::string line; std::getline(tsv, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    expected[line.substr(0, tab)] = line.substr(tab + 1);
  }
  std::istringstream txt(data("corners.txt"));
  std::string title, body, line;
  int checked = 0;
  auto flush = [&] {
    if (title.empty()) return;
    if (!body.empty() && body.back() == '\n') body.pop_back();
    ASSERT_TRUE(expected.count(title)) << title;
    EXPECT_EQ(describe(decode(title, body)), expected[title]) << title;
    ++checked;
  };
  while (std::getline(txt, line)) {
    if (line.rfind("=== ", 0) == 0) {
      flush();
      title = line.substr(4);
      body.clear();
    } else {
      body += line + "\n";
    }
  }
  flush();
  EXPECT_EQ(checked, 34);
}

TEST(Ini, PositionsOfKeysAndValues) {
  auto doc = Document::parse("[a]\n  key  =  v1\nx = [1,\n\n     2]\n", "p.cfg");
  const auto* e = doc.find("a", "key");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->line, 2);
  EXPECT_EQ(e->column, 3);
  EXPECT_EQ(e->value_line, 2);
  EXPECT_EQ(e->value_column, 11);  // "  key  =  v1": v is the 11th character
  const auto* x = doc.find("a", "x");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->value, "[1,\n\n2]");
  // Line 3 of the value is file line 5, starting at column 6.
  auto where = doc.locate(*x, 3, 2);
  EXPECT_EQ(where.line, 5);
  EXPECT_EQ(where.column, 7);
}

TEST(Ini, ErrorsNameFileLineAndKey) {
  try {
    Document::parse("[a]\nx = 1\nnonsense\n[b]\ny = 1\nY = 2\n", "bad.cfg");
    FAIL();
  } catch (const hparams::ErrorList& e) {
    ASSERT_EQ(e.errors().size(), 2u);
    EXPECT_EQ(e.errors()[0].kind(), hparams::ErrorKind::ParsingError);
    EXPECT_EQ(e.errors()[0].location().line, 3);
    EXPECT_EQ(e.errors()[1].kind(), hparams::ErrorKind::DuplicateOptionError);
    EXPECT_EQ(e.errors()[1].location().line, 6);
    EXPECT_EQ(e.errors()[1].key(), "b.y");
    EXPECT_NE(e.reports().find("bad.cfg:6:1: error: DuplicateOptionError in b.y"),
              std::string::npos);
    EXPECT_NE(e.reports().find("    Y = 2\n    ^\n"), std::string::npos);
  }
}

TEST(Ini, SetValueChangesOnlyThatValue) {
  const std::string text =
      "# header comment\n[train]\nlr   =   3e-4   \nbatch = 64 ; odd\n\n[model]\ndims = [64,\n"
      "        64]\n# trailing comment\n";
  auto doc = Document::parse(text, "h.cfg");
  doc.set_value("train", "lr", "1e-3");
  EXPECT_EQ(
      doc.str(),
      "# header comment\n[train]\nlr   =   1e-3   \nbatch = 64 ; odd\n\n[model]\ndims = [64,\n"
      "        64]\n# trailing comment\n");
  doc.set_value("model", "dims", "[128,\n128]");
  EXPECT_EQ(doc.find("model", "dims")->value, "[128,\n128]");
  EXPECT_EQ(
      doc.str(),
      "# header comment\n[train]\nlr   =   1e-3   \nbatch = 64 ; odd\n\n[model]\ndims = [128,\n"
      "    128]\n# trailing comment\n");
  doc.set_value("train", "batch", "= 7");
  EXPECT_EQ(doc.find("train", "batch")->value, "= 7");
  EXPECT_THROW(doc.set_value("train", "nope", "1"), hparams::Error);
}

TEST(Ini, RoundTripKeepsEveryByte) {
  for (const std::string text :
       {std::string(""), std::string("\n\n"), std::string("[a]\r\nx=1\r\n"),
        std::string("\xEF\xBB\xBF[a]\nx = 1"), std::string("[a]\rx=1\r")}) {
    EXPECT_EQ(Document::parse(text).str(), text);
  }
}

// Entries are views into the document: copies and moves must keep them pointing at live text,
// including a text short enough for a string's inline buffer (ASan checks the reads).
TEST(Ini, EntriesStayValidAcrossCopiesAndMoves) {
  std::optional<Document> original(Document::parse("[a]\nX=1", "short.cfg"));
  Document copy = *original;
  Document moved = std::move(*original);
  original.reset();
  EXPECT_EQ(copy.find("a", "x")->value, "1");
  EXPECT_EQ(moved.find("a", "x")->key, "x");  // lower-cased: held by the document itself
  std::vector<Document> many;
  for (int i = 0; i < 20; ++i)
    many.push_back(Document::parse("[s]\nK = multi\n  line " + std::to_string(i)));
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(many[i].find("s", "k")->value, "multi\nline " + std::to_string(i));
  }
  // A re-opened [DEFAULT] is one section, its entries contiguous.
  auto doc = Document::parse("[DEFAULT]\na = 1\n[s]\nb = 2\n[DEFAULT]\nc = 3\n");
  ASSERT_EQ(doc.defaults()->entries.size(), 2u);
  EXPECT_EQ(doc.defaults()->entries[1].key, "c");
  EXPECT_EQ(doc.find_section("s")->entries[0].key, "b");
  EXPECT_EQ(doc.str(), "[DEFAULT]\na = 1\n[s]\nb = 2\n[DEFAULT]\nc = 3\n");
}

}  // namespace
