// Recursive descent over Python 3.11's expression grammar (eval mode), one function per rule.
// Everything outside the value language is a SyntaxError here, before anything is evaluated.
#include <algorithm>
#include <string>
#include <unordered_map>

#include "eval/ast.hpp"
#include "eval/lexer.hpp"
#include "text/unicode.hpp"
#include "value/stack_guard.hpp"
#include "value/value_impl.hpp"

namespace hparams::detail {
namespace {

// CPython 3.11 compiles a tree up to about 3,000 levels deep: its recursion limit of 1,000
// times its compiler's scale of 3, less the frames in use when eval is called. About 2,990
// `[0]` links after `'a'` evaluate, or 1,495 `.upper()` links (two levels each), or 2,990
// unary minus signs, and 20,000 are "RecursionError: maximum recursion depth exceeded during
// compilation". Here the limit is a fixed depth of 3,000 (a constant is one level). Brackets
// are bounded by the lexer (200, as in CPython's tokenizer); flat chains (a + b + ...,
// comparisons, and/or) are one level here and are evaluated without recursion.
constexpr std::uint32_t kMaxDepth = 3000;

class Parser {
 public:
  Parser(std::string_view source, Ast& ast) : lexer_(source), ast_(ast) {}

  // eval_input: expressions NEWLINE* ENDMARKER
  void parse() {
    if (lexer_.peek().kind == Tok::End) fail_at(lexer_.peek(), "invalid syntax (empty value)");
    ast_.root = parse_expressions();
    while (lexer_.peek().kind == Tok::Newline) lexer_.next();
    if (lexer_.peek().kind != Tok::End) unexpected(lexer_.peek());
  }

 private:
  // One level of the parser's recursion (unary operators, `not`, `**`, conditional
  // expressions, comprehensions): each makes the tree at least one level deeper.
  struct Nest {
    Parser& p;
    Nest(Parser& parser, const Token& at) : p(parser) {
      check_stack();
      if (++p.nesting_ > kMaxDepth) p.too_deep(at.line, at.column);
    }
    ~Nest() { --p.nesting_; }
  };

  [[noreturn]] void too_deep(int line, int column) {
    throw Error(ErrorKind::RecursionError, "maximum recursion depth exceeded during compilation",
                SourceLocation{"", line, column});
  }

  // Where a node starts; copying a whole Token (with its literal) per grammar level is costly.
  struct Pos {
    int line;
    int column;
  };
  static Pos pos_of(const Token& t) { return {t.line, t.column}; }

  [[noreturn]] void fail_at(const Token& t, const std::string& message) {
    throw Error(ErrorKind::SyntaxError, message, SourceLocation{"", t.line, t.column});
  }

  [[noreturn]] void unexpected(const Token& t) {
    switch (t.kind) {
      case Tok::Walrus:
        fail_at(t, "assignment expressions (:=) are not supported in the value language");
      case Tok::Star:
      case Tok::DoubleStar:
        fail_at(t, "starred expressions are not supported in the value language");
      case Tok::Ellipsis:
        fail_at(t, "Ellipsis (...) is not supported in the value language");
      case Tok::KwLambda:
        fail_at(t, "lambda is not supported in the value language");
      case Tok::Assign:
        fail_at(t, "invalid syntax. Maybe you meant '==' instead of '='?");
      case Tok::End:
        fail_at(t, "invalid syntax");  // CPython 3.11's words for `1 +`
      case Tok::Newline:
        fail_at(t, "invalid syntax (a value continues on a new line outside brackets)");
      case Tok::Keyword:
        fail_at(t, "invalid syntax ('" + std::string(lexer_.text(t)) + "' is a reserved word)");
      default:
        fail_at(t, "invalid syntax");
    }
  }

  Token expect(Tok kind, const char* what) {
    if (lexer_.peek().kind != kind) {
      const Token& t = lexer_.peek();
      if (t.kind == Tok::End || t.kind == Tok::Newline) {
        fail_at(t, std::string("invalid syntax: expected ") + what);
      }
      unexpected(t);
    }
    return lexer_.next();
  }

  bool accept(Tok kind) {
    if (lexer_.peek().kind != kind) return false;
    lexer_.next();
    return true;
  }

  std::uint32_t add(NodeKind kind, const Token& at,
                    std::initializer_list<std::uint32_t> kids = {}) {
    return add_kids(kind, pos_of(at), kids.begin(), kids.size());
  }
  std::uint32_t add(NodeKind kind, Pos at, std::initializer_list<std::uint32_t> kids = {}) {
    return add_kids(kind, at, kids.begin(), kids.size());
  }

  std::uint32_t add_kids(NodeKind kind, Pos at, const std::uint32_t* kids, std::size_t n) {
    Node node;
    node.kind = kind;
    node.line = static_cast<std::uint32_t>(at.line);
    node.column = static_cast<std::uint32_t>(at.column);
    node.first = static_cast<std::uint32_t>(ast_.kids.size());
    node.count = static_cast<std::uint32_t>(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (kids[i] != kNoNode || kind == NodeKind::Slice) ast_.kids.push_back(kids[i]);
    }
    node.count = static_cast<std::uint32_t>(ast_.kids.size() - node.first);
    // The tree's depth, which the evaluator's recursion follows; postfix chains are built
    // by a loop, so this is where their length is bounded.
    std::uint32_t depth = 1;
    for (std::uint32_t i = node.first; i < node.first + node.count; ++i) {
      if (ast_.kids[i] != kNoNode) depth = std::max(depth, depth_[ast_.kids[i]] + 1);
    }
    if (depth > kMaxDepth) too_deep(at.line, at.column);
    ast_.nodes.push_back(node);
    depth_.push_back(depth);
    return static_cast<std::uint32_t>(ast_.nodes.size() - 1);
  }

  std::uint32_t add_list(NodeKind kind, const Token& at, const std::vector<std::uint32_t>& kids) {
    return add_kids(kind, pos_of(at), kids.data(), kids.size());
  }
  std::uint32_t add_list(NodeKind kind, Pos at, const std::vector<std::uint32_t>& kids) {
    return add_kids(kind, at, kids.data(), kids.size());
  }

  std::uint32_t constant(const Token& at, Value v) {
    std::uint32_t n = add(NodeKind::Constant, at);
    ast_.nodes[n].data = static_cast<std::uint32_t>(ast_.constants.size());
    ast_.constants.push_back(std::move(v));
    return n;
  }

  std::uint32_t intern(std::string_view name) {
    auto it = interned_.find(std::string(name));
    if (it != interned_.end()) return it->second;
    auto index = static_cast<std::uint32_t>(ast_.names.size());
    ast_.names.emplace_back(name);
    interned_.emplace(std::string(name), index);
    return index;
  }

  // An identifier as Python reads it: NFKC-normalised when it is not ASCII (PEP 3131), so
  // that `ｌｅｎ` is `len`.
  std::string name_text(const Token& t) {
    std::string_view raw = lexer_.text(t);
    for (unsigned char c : raw) {
      if (c >= 0x80) return nfkc(raw);
    }
    return std::string(raw);
  }

  std::uint32_t name_node(const Token& t) {
    std::uint32_t n = add(NodeKind::Name, t);
    ast_.nodes[n].data = intern(name_text(t));
    return n;
  }

  static bool starts_expression(Tok k) {
    switch (k) {
      case Tok::Name:
      case Tok::Number:
      case Tok::String:
      case Tok::KwFalse:
      case Tok::KwNone:
      case Tok::KwTrue:
      case Tok::KwNot:
      case Tok::KwLambda:
      case Tok::LParen:
      case Tok::LBracket:
      case Tok::LBrace:
      case Tok::Plus:
      case Tok::Minus:
      case Tok::Tilde:
      case Tok::Star:
      case Tok::Ellipsis:
        return true;
      default:
        return false;
    }
  }

  // expressions: expression (',' expression)* [',']
  std::uint32_t parse_expressions() {
    Pos start = pos_of(lexer_.peek());
    std::uint32_t first = parse_expression();
    if (lexer_.peek().kind != Tok::Comma) return first;
    std::vector<std::uint32_t> items{first};
    while (accept(Tok::Comma)) {
      if (!starts_expression(lexer_.peek().kind)) break;
      items.push_back(parse_expression());
    }
    return add_list(NodeKind::Tuple, start, items);
  }

  // expression: disjunction 'if' disjunction 'else' expression | disjunction
  // (lambdef is outside the value language)
  std::uint32_t parse_expression() {
    const Token& start_ref = lexer_.peek();
    if (start_ref.kind == Tok::KwLambda) unexpected(start_ref);
    Pos start = pos_of(start_ref);
    std::uint32_t body = parse_disjunction();
    if (lexer_.peek().kind != Tok::KwIf) {
      if (lexer_.peek().kind == Tok::Walrus) unexpected(lexer_.peek());
      return body;
    }
    Token if_token = lexer_.next();
    Nest nest(*this, if_token);
    std::uint32_t test = parse_disjunction();
    expect(Tok::KwElse, "'else' after a conditional expression");
    std::uint32_t orelse = parse_expression();
    return add(NodeKind::IfExp, start, {body, test, orelse});
  }

  // disjunction: conjunction ('or' conjunction)*
  std::uint32_t parse_disjunction() { return parse_bool(Tok::KwOr, Op::Or); }

  std::uint32_t parse_bool(Tok token, Op op) {
    Pos start = pos_of(lexer_.peek());
    std::uint32_t first = token == Tok::KwOr ? parse_bool(Tok::KwAnd, Op::And) : parse_inversion();
    if (lexer_.peek().kind != token) return first;
    std::vector<std::uint32_t> operands{first};
    while (accept(token)) {
      operands.push_back(token == Tok::KwOr ? parse_bool(Tok::KwAnd, Op::And) : parse_inversion());
    }
    std::uint32_t n = add_list(NodeKind::BoolOp, start, operands);
    ast_.nodes[n].op = op;
    return n;
  }

  // inversion: 'not' inversion | comparison
  std::uint32_t parse_inversion() {
    if (lexer_.peek().kind != Tok::KwNot) return parse_comparison();
    Token t = lexer_.next();
    Nest nest(*this, t);
    std::uint32_t operand = parse_inversion();
    std::uint32_t n = add(NodeKind::Unary, t, {operand});
    ast_.nodes[n].op = Op::Not;
    return n;
  }

  // comparison: bitwise_or (compare_op bitwise_or)*
  std::uint32_t parse_comparison() {
    Pos start = pos_of(lexer_.peek());
    std::uint32_t first = parse_binary(0);
    std::vector<std::uint32_t> operands;
    std::vector<OpAt> ops;
    while (true) {
      const Token& t = lexer_.peek();
      Op op;
      switch (t.kind) {
        case Tok::Lt:
          op = Op::Lt;
          break;
        case Tok::Le:
          op = Op::Le;
          break;
        case Tok::Gt:
          op = Op::Gt;
          break;
        case Tok::Ge:
          op = Op::Ge;
          break;
        case Tok::Eq:
          op = Op::Eq;
          break;
        case Tok::Ne:
          op = Op::Ne;
          break;
        case Tok::KwIn:
          op = Op::In;
          break;
        case Tok::KwIs:
          op = lexer_.peek(1).kind == Tok::KwNot ? Op::IsNot : Op::Is;
          break;
        case Tok::KwNot:
          if (lexer_.peek(1).kind != Tok::KwIn) goto done;
          op = Op::NotIn;
          break;
        default:
          goto done;
      }
      {
        Token op_token = lexer_.next();
        if (op == Op::IsNot || op == Op::NotIn) lexer_.next();
        if (operands.empty()) operands.push_back(first);
        ops.push_back(OpAt{op, static_cast<std::uint32_t>(op_token.line),
                           static_cast<std::uint32_t>(op_token.column)});
        operands.push_back(parse_binary(0));
      }
    }
  done:
    if (operands.empty()) return first;
    std::uint32_t n = add_list(NodeKind::Compare, start, operands);
    ast_.nodes[n].data = static_cast<std::uint32_t>(ast_.ops.size());
    ast_.ops.insert(ast_.ops.end(), ops.begin(), ops.end());
    return n;
  }

  // bitwise_or: bitwise_or '|' bitwise_xor | bitwise_xor
  // bitwise_xor: bitwise_xor '^' bitwise_and | bitwise_and
  // bitwise_and: bitwise_and '&' shift_expr | shift_expr
  // shift_expr: shift_expr ('<<' | '>>') sum | sum
  // sum: sum ('+' | '-') term | term
  // term: term ('*' | '/' | '//' | '%' | '@') factor | factor
  // Left-associative chains are kept flat (one node, n operands) so that a long sum such as
  // 1+1+...+1 neither nests the parser nor the evaluator.
  static bool level_op(int level, Tok k, Op& op) {
    switch (level) {
      case 0:
        if (k == Tok::Pipe) {
          op = Op::BitOr;
          return true;
        }
        return false;
      case 1:
        if (k == Tok::Caret) {
          op = Op::BitXor;
          return true;
        }
        return false;
      case 2:
        if (k == Tok::Amp) {
          op = Op::BitAnd;
          return true;
        }
        return false;
      case 3:
        if (k == Tok::LShift) {
          op = Op::LShift;
          return true;
        }
        if (k == Tok::RShift) {
          op = Op::RShift;
          return true;
        }
        return false;
      case 4:
        if (k == Tok::Plus) {
          op = Op::Add;
          return true;
        }
        if (k == Tok::Minus) {
          op = Op::Sub;
          return true;
        }
        return false;
      default:
        switch (k) {
          case Tok::Star:
            op = Op::Mul;
            return true;
          case Tok::Slash:
            op = Op::Div;
            return true;
          case Tok::DoubleSlash:
            op = Op::FloorDiv;
            return true;
          case Tok::Percent:
            op = Op::Mod;
            return true;
          case Tok::At:
            op = Op::MatMul;
            return true;
          default:
            return false;
        }
    }
  }

  std::uint32_t parse_binary(int level) {
    if (level == 6) return parse_factor();
    Pos start = pos_of(lexer_.peek());
    std::uint32_t first = parse_binary(level + 1);
    Op op;
    if (!level_op(level, lexer_.peek().kind, op)) return first;
    std::vector<std::uint32_t> operands{first};
    // Operands may hold chains of their own, so this chain's operators are gathered first.
    std::vector<OpAt> ops;
    while (level_op(level, lexer_.peek().kind, op)) {
      Token t = lexer_.next();
      ops.push_back(
          OpAt{op, static_cast<std::uint32_t>(t.line), static_cast<std::uint32_t>(t.column)});
      operands.push_back(parse_binary(level + 1));
    }
    std::uint32_t n = add_list(NodeKind::BinOp, start, operands);
    ast_.nodes[n].data = static_cast<std::uint32_t>(ast_.ops.size());
    ast_.ops.insert(ast_.ops.end(), ops.begin(), ops.end());
    return n;
  }

  // factor: '+' factor | '-' factor | '~' factor | power
  std::uint32_t parse_factor() {
    Tok k = lexer_.peek().kind;
    if (k != Tok::Plus && k != Tok::Minus && k != Tok::Tilde) return parse_power();
    Token t = lexer_.next();
    Nest nest(*this, t);
    std::uint32_t operand = parse_factor();
    // Fold a sign into a numeric literal: -5 is one constant, as CPython's optimizer does.
    std::uint32_t n = add(NodeKind::Unary, t, {operand});
    ast_.nodes[n].op = k == Tok::Plus ? Op::Pos : k == Tok::Minus ? Op::Neg : Op::Invert;
    return n;
  }

  // power: primary '**' factor | primary
  std::uint32_t parse_power() {
    std::uint32_t base = parse_primary();
    if (lexer_.peek().kind != Tok::DoubleStar) return base;
    Token t = lexer_.next();
    Nest nest(*this, t);
    std::uint32_t exponent = parse_factor();
    return add(NodeKind::Power, t, {base, exponent});
  }

  // primary: primary '.' NAME | primary '(' [arguments] ')' | primary '[' slices ']' | atom
  std::uint32_t parse_primary() {
    std::uint32_t node = parse_atom();
    while (true) {
      const Token& t = lexer_.peek();
      if (t.kind == Tok::Dot) {
        lexer_.next();
        Token name = lexer_.peek();
        if (name.kind != Tok::Name) unexpected(name);
        lexer_.next();
        std::uint32_t n = add(NodeKind::Attribute, name, {node});
        ast_.nodes[n].data = intern(name_text(name));
        node = n;
      } else if (t.kind == Tok::LParen) {
        node = parse_call(node);
      } else if (t.kind == Tok::LBracket) {
        Token open = lexer_.next();
        std::uint32_t index = parse_slices();
        expect(Tok::RBracket, "']'");
        node = add(NodeKind::Subscript, open, {node, index});
      } else {
        return node;
      }
    }
  }

  // arguments: (expression | NAME '=' expression) (',' ...)* [','], or a lone generator
  std::uint32_t parse_call(std::uint32_t func) {
    Token open = lexer_.next();
    Token callee_at = open;
    const Node& f = ast_.nodes[func];
    callee_at.line = static_cast<int>(f.line);
    callee_at.column = static_cast<int>(f.column);
    std::vector<std::uint32_t> positional, keywords;
    std::vector<std::string> keyword_names;
    bool saw_generator = false;
    while (lexer_.peek().kind != Tok::RParen) {
      const Token& t = lexer_.peek();
      if (t.kind == Tok::Star || t.kind == Tok::DoubleStar) unexpected(t);
      if (t.kind == Tok::Name && lexer_.peek(1).kind == Tok::Assign) {
        Token name = lexer_.next();
        lexer_.next();
        std::string text = name_text(name);
        for (const auto& seen : keyword_names) {
          if (seen == text) fail_at(name, "keyword argument repeated: " + text);
        }
        keyword_names.push_back(text);
        keywords.push_back(name_node(name));
        keywords.push_back(parse_expression());
      } else {
        Token arg_start = t;
        if (!keywords.empty()) {
          parse_expression();
          fail_at(arg_start, "positional argument follows keyword argument");
        }
        std::uint32_t arg = parse_expression();
        if (lexer_.peek().kind == Tok::KwFor) {
          arg = parse_comprehension(NodeKind::GenExp, arg_start, {arg});
          if (!positional.empty() || lexer_.peek().kind != Tok::RParen) {
            fail_at(arg_start, "Generator expression must be parenthesized");
          }
          saw_generator = true;
        } else if (saw_generator) {
          fail_at(arg_start, "Generator expression must be parenthesized");
        }
        positional.push_back(arg);
      }
      if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RParen, "')'");
    std::vector<std::uint32_t> kids{func};
    kids.insert(kids.end(), positional.begin(), positional.end());
    kids.insert(kids.end(), keywords.begin(), keywords.end());
    std::uint32_t n = add_list(NodeKind::Call, callee_at, kids);
    ast_.nodes[n].extra = static_cast<std::uint32_t>(positional.size());
    return n;
  }

  // slices: slice | (slice (',' slice)* [','])     slice: [expr] ':' [expr] [':' [expr]] | expr
  std::uint32_t parse_slices() {
    Pos start = pos_of(lexer_.peek());
    std::uint32_t first = parse_slice();
    if (lexer_.peek().kind != Tok::Comma) return first;
    std::vector<std::uint32_t> items{first};
    while (accept(Tok::Comma)) {
      if (lexer_.peek().kind == Tok::RBracket) break;
      items.push_back(parse_slice());
    }
    return add_list(NodeKind::Tuple, start, items);
  }

  std::uint32_t parse_slice() {
    Pos start = pos_of(lexer_.peek());
    std::uint32_t lower = kNoNode, upper = kNoNode, step = kNoNode;
    if (lexer_.peek().kind != Tok::Colon) {
      lower = parse_expression();
      if (lexer_.peek().kind != Tok::Colon) return lower;
    }
    expect(Tok::Colon, "':'");
    auto bound = [&]() -> std::uint32_t {
      Tok k = lexer_.peek().kind;
      if (k == Tok::Colon || k == Tok::RBracket || k == Tok::Comma) return kNoNode;
      return parse_expression();
    };
    upper = bound();
    if (accept(Tok::Colon)) step = bound();
    return add(NodeKind::Slice, start, {lower, upper, step});
  }

  // strings: STRING+ (adjacent literals concatenate; f-strings and bytes are refused)
  std::uint32_t parse_strings() {
    Token first = lexer_.next();
    if (first.fstring_or_bytes) {
      fail_at(first, "f-strings and bytes literals are not supported in the value language");
    }
    if (lexer_.peek().kind != Tok::String) return constant(first, first.literal);
    std::string text(first.literal.as_str());
    while (lexer_.peek().kind == Tok::String) {
      Token t = lexer_.next();
      if (t.fstring_or_bytes) {
        fail_at(t, "f-strings and bytes literals are not supported in the value language");
      }
      text += t.literal.as_str();
      check_size(text.size(), "a string literal");
    }
    return constant(first, make_str(std::move(text)));
  }

  // atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | (tuple | group | genexp)
  //     | (list | listcomp) | (dict | set | dictcomp | setcomp)
  std::uint32_t parse_atom() {
    const Token& t = lexer_.peek();
    switch (t.kind) {
      case Tok::Name: {
        Token name = lexer_.next();
        // Only a normalised name can read True, False or None here (the ASCII ones are
        // keywords); CPython then finds them in builtins.
        if (lexer_.text(name).size() > 5 && lexer_.text(name).front() & 0x80) {
          std::string text = name_text(name);
          if (text == "True" || text == "False") return constant(name, Value(text == "True"));
          if (text == "None") return constant(name, Value());
        }
        return name_node(name);
      }
      case Tok::Number: {
        Token number = lexer_.next();
        return constant(number, number.literal);
      }
      case Tok::String:
        return parse_strings();
      case Tok::KwTrue: {
        Token k = lexer_.next();
        return constant(k, Value(true));
      }
      case Tok::KwFalse: {
        Token k = lexer_.next();
        return constant(k, Value(false));
      }
      case Tok::KwNone: {
        Token k = lexer_.next();
        return constant(k, Value());
      }
      case Tok::LParen:
        return parse_paren();
      case Tok::LBracket:
        return parse_list();
      case Tok::LBrace:
        return parse_brace();
      default:
        unexpected(t);
    }
  }

  // tuple: '(' [expression ',' [expressions]] ')'   group: '(' expression ')'   genexp
  std::uint32_t parse_paren() {
    Token open = lexer_.next();
    if (accept(Tok::RParen)) return add(NodeKind::Tuple, open);
    std::uint32_t first = parse_expression();
    if (lexer_.peek().kind == Tok::KwFor) {
      std::uint32_t gen = parse_comprehension(NodeKind::GenExp, open, {first});
      expect(Tok::RParen, "')'");
      return gen;
    }
    if (accept(Tok::RParen)) return first;
    std::vector<std::uint32_t> items{first};
    while (accept(Tok::Comma)) {
      if (lexer_.peek().kind == Tok::RParen) break;
      items.push_back(parse_expression());
    }
    expect(Tok::RParen, "')'");
    return add_list(NodeKind::Tuple, open, items);
  }

  // list: '[' [expressions] ']'   listcomp: '[' expression for_if_clauses ']'
  std::uint32_t parse_list() {
    Token open = lexer_.next();
    if (accept(Tok::RBracket)) return add(NodeKind::List, open);
    std::uint32_t first = parse_expression();
    if (lexer_.peek().kind == Tok::KwFor) {
      std::uint32_t comp = parse_comprehension(NodeKind::ListComp, open, {first});
      expect(Tok::RBracket, "']'");
      return comp;
    }
    std::vector<std::uint32_t> items{first};
    while (accept(Tok::Comma)) {
      if (lexer_.peek().kind == Tok::RBracket) break;
      items.push_back(parse_expression());
    }
    expect(Tok::RBracket, "']'");
    return add_list(NodeKind::List, open, items);
  }

  // dict: '{' [kvpair (',' kvpair)* [',']] '}'   set: '{' expressions '}'   and comprehensions
  std::uint32_t parse_brace() {
    Token open = lexer_.next();
    if (accept(Tok::RBrace)) return add(NodeKind::Dict, open);
    if (lexer_.peek().kind == Tok::DoubleStar) unexpected(lexer_.peek());
    std::uint32_t first = parse_expression();
    if (accept(Tok::Colon)) {
      std::uint32_t value = parse_expression();
      if (lexer_.peek().kind == Tok::KwFor) {
        std::uint32_t comp = parse_comprehension(NodeKind::DictComp, open, {first, value});
        expect(Tok::RBrace, "'}'");
        return comp;
      }
      std::vector<std::uint32_t> items{first, value};
      while (accept(Tok::Comma)) {
        if (lexer_.peek().kind == Tok::RBrace) break;
        if (lexer_.peek().kind == Tok::DoubleStar) unexpected(lexer_.peek());
        items.push_back(parse_expression());
        expect(Tok::Colon, "':' in a dict display");
        items.push_back(parse_expression());
      }
      expect(Tok::RBrace, "'}'");
      return add_list(NodeKind::Dict, open, items);
    }
    if (lexer_.peek().kind == Tok::KwFor) {
      std::uint32_t comp = parse_comprehension(NodeKind::SetComp, open, {first});
      expect(Tok::RBrace, "'}'");
      return comp;
    }
    std::vector<std::uint32_t> items{first};
    while (accept(Tok::Comma)) {
      if (lexer_.peek().kind == Tok::RBrace) break;
      items.push_back(parse_expression());
    }
    expect(Tok::RBrace, "'}'");
    return add_list(NodeKind::Set, open, items);
  }

  // for_if_clauses: ('for' star_targets 'in' disjunction ('if' disjunction)*)+
  std::uint32_t parse_comprehension(NodeKind kind, const Token& at,
                                    std::initializer_list<std::uint32_t> elements) {
    Nest nest(*this, at);
    std::vector<std::uint32_t> kids(elements);
    while (lexer_.peek().kind == Tok::KwFor) {
      Token for_token = lexer_.next();
      std::uint32_t target = parse_target_list();
      expect(Tok::KwIn, "'in' in a comprehension");
      std::vector<std::uint32_t> clause{target, parse_disjunction()};
      while (accept(Tok::KwIf)) clause.push_back(parse_disjunction());
      kids.push_back(add_list(NodeKind::CompFor, for_token, clause));
    }
    std::uint32_t n = add_list(kind, at, kids);
    ast_.nodes[n].extra = static_cast<std::uint32_t>(elements.size());
    return n;
  }

  // star_targets (names, possibly nested in tuples or lists)
  std::uint32_t parse_target_list() {
    Pos start = pos_of(lexer_.peek());
    std::uint32_t first = parse_target();
    if (lexer_.peek().kind != Tok::Comma) return first;
    std::vector<std::uint32_t> items{first};
    while (accept(Tok::Comma)) {
      if (lexer_.peek().kind == Tok::KwIn) break;
      items.push_back(parse_target());
    }
    return add_list(NodeKind::Tuple, start, items);
  }

  std::uint32_t parse_target() {
    const Token& t = lexer_.peek();
    if (t.kind == Tok::Name) {
      Token name = lexer_.next();
      if (lexer_.peek().kind == Tok::Dot || lexer_.peek().kind == Tok::LBracket ||
          lexer_.peek().kind == Tok::LParen) {
        fail_at(lexer_.peek(), "only names can be comprehension targets in the value language");
      }
      return name_node(name);
    }
    if (t.kind == Tok::LParen || t.kind == Tok::LBracket) {
      Token open = lexer_.next();
      Tok close = open.kind == Tok::LParen ? Tok::RParen : Tok::RBracket;
      std::vector<std::uint32_t> items;
      bool trailing_comma = false;
      while (lexer_.peek().kind != close) {
        items.push_back(parse_target());
        trailing_comma = accept(Tok::Comma);
        if (!trailing_comma) break;
      }
      expect(close, open.kind == Tok::LParen ? "')'" : "']'");
      if (open.kind == Tok::LParen && items.size() == 1 && !trailing_comma) return items[0];
      return add_list(NodeKind::Tuple, open, items);
    }
    if (t.kind == Tok::Star) unexpected(t);
    fail_at(t, "cannot assign to this expression in a comprehension target");
  }

  Lexer lexer_;
  Ast& ast_;
  std::uint32_t nesting_ = 0;
  std::vector<std::uint32_t> depth_;  // of each node of ast_.nodes
  std::unordered_map<std::string, std::uint32_t> interned_;
};

void dump_into(const Ast& ast, std::uint32_t index, std::string& out) {
  if (index == kNoNode) {
    out += "None";
    return;
  }
  const Node& n = ast.nodes[index];
  auto kids = [&](std::uint32_t from) {
    for (std::uint32_t i = from; i < n.count; ++i) {
      if (i > from) out += ", ";
      dump_into(ast, ast.kid(n, i), out);
    }
  };
  switch (n.kind) {
    case NodeKind::Constant:
      out += "Constant(" + ast.constants[n.data].repr() + ")";
      return;
    case NodeKind::Name:
      out += "Name(" + ast.names[n.data] + ")";
      return;
    case NodeKind::Tuple:
      out += "Tuple(";
      kids(0);
      out += ")";
      return;
    case NodeKind::List:
      out += "List(";
      kids(0);
      out += ")";
      return;
    case NodeKind::Set:
      out += "Set(";
      kids(0);
      out += ")";
      return;
    case NodeKind::Dict:
      out += "Dict(";
      kids(0);
      out += ")";
      return;
    case NodeKind::BinOp:
    case NodeKind::Compare:
      out += n.kind == NodeKind::BinOp ? "BinOp(" : "Compare(";
      dump_into(ast, ast.kid(n, 0), out);
      for (std::uint32_t i = 1; i < n.count; ++i) {
        out += std::string(" ") + op_text(ast.ops[n.data + i - 1].op) + " ";
        dump_into(ast, ast.kid(n, i), out);
      }
      out += ")";
      return;
    case NodeKind::Power:
      out += "Power(";
      kids(0);
      out += ")";
      return;
    case NodeKind::Unary:
      out += std::string("Unary(") + op_text(n.op) + ", ";
      kids(0);
      out += ")";
      return;
    case NodeKind::BoolOp:
      out += std::string("BoolOp(") + op_text(n.op) + ", ";
      kids(0);
      out += ")";
      return;
    case NodeKind::IfExp:
      out += "IfExp(";
      kids(0);
      out += ")";
      return;
    case NodeKind::Call: {
      out += "Call(";
      dump_into(ast, ast.kid(n, 0), out);
      for (std::uint32_t i = 1; i <= n.extra; ++i) {
        out += ", ";
        dump_into(ast, ast.kid(n, i), out);
      }
      for (std::uint32_t i = n.extra + 1; i + 1 < n.count; i += 2) {
        out += ", " + ast.names[ast.nodes[ast.kid(n, i)].data] + "=";
        dump_into(ast, ast.kid(n, i + 1), out);
      }
      out += ")";
      return;
    }
    case NodeKind::Attribute:
      out += "Attribute(";
      kids(0);
      out += ", " + ast.names[n.data] + ")";
      return;
    case NodeKind::Subscript:
      out += "Subscript(";
      kids(0);
      out += ")";
      return;
    case NodeKind::Slice:
      out += "Slice(";
      kids(0);
      out += ")";
      return;
    case NodeKind::ListComp:
      out += "ListComp(";
      kids(0);
      out += ")";
      return;
    case NodeKind::SetComp:
      out += "SetComp(";
      kids(0);
      out += ")";
      return;
    case NodeKind::DictComp:
      out += "DictComp(";
      kids(0);
      out += ")";
      return;
    case NodeKind::GenExp:
      out += "GenExp(";
      kids(0);
      out += ")";
      return;
    case NodeKind::CompFor:
      out += "For(";
      kids(0);
      out += ")";
      return;
  }
}

}  // namespace

void parse_expression(std::string_view source, Ast& ast) {
  ast.clear();
  Parser(source, ast).parse();
}

std::string dump(const Ast& ast, std::uint32_t node) {
  std::string out;
  dump_into(ast, node, out);
  return out;
}

std::string dump(const Ast& ast) { return dump(ast, ast.root); }

}  // namespace hparams::detail
