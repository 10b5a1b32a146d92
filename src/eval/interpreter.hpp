// Internal: the tree-walking evaluator and the services builtins need from it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "eval/ast.hpp"
#include "hparams/eval.hpp"
#include "value/value_impl.hpp"

namespace hparams::detail {

class Interpreter;

/// The arguments of one builtin or method call, with Python's checks.
struct Args {
  std::string_view name;  // for messages: "max", "str.split"
  std::vector<Value> pos;
  std::vector<std::pair<std::string, Value>> kw;

  std::size_t size() const { return pos.size(); }
  /// TypeError unless min <= positional count <= max; keywords are checked separately.
  void expect_count(std::size_t min, std::size_t max) const;
  /// TypeError if any keyword argument was given.
  void no_keywords() const;
  /// Takes a keyword argument out (nullptr when absent).
  const Value* keyword(std::string_view key) const;
  /// TypeError for keywords other than `allowed`.
  void only_keywords(std::initializer_list<std::string_view> allowed) const;
  /// The i-th argument, positional or by keyword `key` (TypeError if given both ways).
  const Value* arg(std::size_t i, std::string_view key) const;
};

using Sink = std::function<bool(const Value&)>;

class Interpreter {
 public:
  Interpreter(const Ast& ast, const EvalLimits& limits) : ast_(ast), limits_(limits) {}
  Value run();
  /// Whether a function, type or iterator was created (then the result needs a look).
  bool made_opaque() const { return made_opaque_; }
  /// What run() allocated, temporaries included (charged to the budget).
  std::size_t allocated() const { return allocated_; }

  // ---- services for builtins and methods ----
  /// Spends `steps` of the budget (TimeoutError when it runs out).
  void charge(std::uint64_t steps) {
    steps_ += steps;
    if (steps_ > limits_.max_steps) budget_exceeded();
  }
  /// Iterates like Python's `for`: `sink` returns false to stop early.
  void iterate(const Value& iterable, const Sink& sink);
  std::vector<Value> to_vector(const Value& iterable);
  Value call(const Value& callable, Args& args);
  void note_opaque() { made_opaque_ = true; }

 private:
  [[noreturn]] void budget_exceeded();
  Value eval(std::uint32_t index);
  Value eval_node(const Node& n);
  Value eval_name(const Node& n);
  Value eval_call(const Node& n);
  Value eval_subscript(const Node& n);
  Value eval_comprehension(const Node& n);
  Value make_generator(const Node& n);
  void run_comprehension(const Node& n, std::uint32_t clause, const Value* first_iterable,
                         const std::function<bool()>& emit, bool& stop);
  void bind(std::uint32_t target, const Value& value);
  const Value* lookup(std::uint32_t name) const;
  bool constant_node(std::uint32_t index) const;
  bool constant_display(const Node& n, const std::vector<Value>& items) const;

  const Ast& ast_;
  EvalLimits limits_;
  std::uint64_t steps_ = 0;
  std::size_t allocated_ = 0;
  bool made_opaque_ = false;
  std::vector<std::pair<std::uint32_t, Value>> scope_;  // comprehension variables, innermost last
};

// ---- operators (interpreter.cpp) ----
Value binary_op(Interpreter& in, Op op, const Value& a, const Value& b);
Value unary_op(Op op, const Value& a);
bool contains(Interpreter& in, const Value& container, const Value& item);
Value subscript(Interpreter& in, const Value& object, const Value& index);
/// Slicing with optional bounds (nullptr for an omitted one).
Value slice(Interpreter& in, const Value& object, const Value* lower, const Value* upper,
            const Value* step);
[[noreturn]] void unsupported_operands(const char* op, const Value& a, const Value& b);

// ---- builtins (builtins.cpp) ----
/// The id of a builtin name, or -1.
int find_builtin(std::string_view name);
Value builtin_value(int id);
Value call_builtin(Interpreter& in, int id, Args& args);
/// Integer index semantics (int or bool), else TypeError with `what`.
std::int64_t index_value(const Value& v, const char* what);
/// sorted()/list.sort() semantics on a vector (stable; `key` may be None).
void sort_values(Interpreter& in, std::vector<Value>& items, const Value& key, bool reverse);

// ---- methods (str_methods.cpp) ----
/// The id of method `name` on `self`'s type, or -1 when the value language has none.
int find_method(const Value& self, std::string_view name);
Value call_method(Interpreter& in, int id, const Value& self, Args& args);
std::string_view method_name(int id);

// ---- formatting (format.cpp) ----
/// str % args
Value percent_format(Interpreter& in, const Value& format, const Value& args);
/// str.format(*args, **kwargs)
Value str_format(Interpreter& in, const Value& format, Args& args);
/// format(value, spec) as Python's __format__ does it.
std::string format_value(Interpreter& in, const Value& value, std::string_view spec);

}  // namespace hparams::detail
