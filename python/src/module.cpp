// hparams._core: the C++ engine for the Python package.
//
// The pure-Python layer (python/hparams/) gives the original library's API; this module gives
// it loaded documents and runs as plain Python objects: every value is built from our value
// tree (never by Python's eval), with the GIL released while files are read and evaluated.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <limits>
#include <ostream>
#include <streambuf>
#include <string>
#include <unordered_map>
#include <vector>

#include "hparams/backup.hpp"
#include "hparams/hparams.hpp"
#include "num/numbers.hpp"
#include "value/value_impl.hpp"

namespace py = pybind11;
using hparams::Error;
using hparams::ErrorKind;
using hparams::Value;

namespace {

// Values are at most as deep as the evaluator's nesting limit lets a text build them; the
// bound keeps the C stack safe whatever a value holds.
constexpr int kMaxDepth = 1000;

[[noreturn]] void too_deep() {
  throw Error(ErrorKind::RecursionError,
              "value nested more than " + std::to_string(kMaxDepth) + " levels deep");
}

py::object steal_or_throw(PyObject* object) {
  if (object == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(object);
}

py::object text_to_python(const std::string& utf8, const char* errors = "surrogatepass") {
  return steal_or_throw(
      PyUnicode_DecodeUTF8(utf8.data(), static_cast<Py_ssize_t>(utf8.size()), errors));
}

// ---- Value -> Python --------------------------------------------------------------------

// Objects a value holds more than once become one Python object held as often, as CPython's
// own value would be (`[s] * 1000` holds one str 1000 times): the conversion then takes the
// value's memory, not that of its repr. Keyed by our object, for one conversion.
using Shared = std::unordered_map<const hparams::detail::Object*, py::object>;

py::object convert(const Value& v, int depth, Shared& shared);
py::object convert_new(const Value& v, int depth, Shared& shared);

py::object to_python(const Value& v, int depth) {
  Shared shared;
  return convert(v, depth, shared);
}

py::object convert(const Value& v, int depth, Shared& shared) {
  using hparams::detail::Tag;
  namespace d = hparams::detail;
  if (depth > kMaxDepth) too_deep();
  const Tag tag = d::tag_of(v);
  const bool held_by_reference =
      tag != Tag::None && tag != Tag::Bool && tag != Tag::SmallInt && tag != Tag::Float;
  const d::Object* object = held_by_reference ? d::ValueAccess::object(v) : nullptr;
  if (object != nullptr && object->refs.load(std::memory_order_relaxed) > 1) {
    auto it = shared.find(object);
    if (it != shared.end()) return it->second;
    py::object out = convert_new(v, depth, shared);
    shared.emplace(object, out);
    return out;
  }
  return convert_new(v, depth, shared);
}

py::object convert_new(const Value& v, int depth, Shared& shared) {
  using hparams::detail::Tag;
  namespace d = hparams::detail;
  switch (d::tag_of(v)) {
    case Tag::None:
      return py::none();
    case Tag::Bool:
      return py::bool_(d::ValueAccess::small(v) != 0);
    case Tag::SmallInt:
      return steal_or_throw(PyLong_FromLongLong(d::ValueAccess::small(v)));
    case Tag::BigInt: {
      // Base 16 is linear in CPython and has no digit limit (decimal text is capped at 4,300
      // digits there, and our ints may be larger).
      const auto& big = d::ValueAccess::as<d::BigIntObject>(v);
      std::string hex(mpz_sizeinbase(big.z, 16) + 2, '\0');
      mpz_get_str(hex.data(), 16, big.z);
      return steal_or_throw(PyLong_FromString(hex.c_str(), nullptr, 16));
    }
    case Tag::Float:
      return steal_or_throw(PyFloat_FromDouble(d::ValueAccess::real(v)));
    case Tag::Str:
      return text_to_python(d::str_of(v));
    case Tag::List:
    case Tag::Tuple: {
      const auto& items = d::seq_of(v);
      const bool list = d::tag_of(v) == Tag::List;
      auto n = static_cast<Py_ssize_t>(items.size());
      py::object out = steal_or_throw(list ? PyList_New(n) : PyTuple_New(n));
      for (Py_ssize_t i = 0; i < n; ++i) {
        PyObject* item =
            convert(items[static_cast<std::size_t>(i)], depth + 1, shared).release().ptr();
        if (list) {
          PyList_SET_ITEM(out.ptr(), i, item);
        } else {
          PyTuple_SET_ITEM(out.ptr(), i, item);
        }
      }
      return out;
    }
    case Tag::Dict: {
      py::object out = steal_or_throw(PyDict_New());
      for (const auto& [key, value] : d::dict_of(v).entries) {
        py::object k = convert(key, depth + 1, shared);
        py::object x = convert(value, depth + 1, shared);
        if (PyDict_SetItem(out.ptr(), k.ptr(), x.ptr()) != 0) throw py::error_already_set();
      }
      return out;
    }
    case Tag::Set: {
      // Inserted in CPython's iteration order for the same set (see value.hpp).
      py::object out = steal_or_throw(PySet_New(nullptr));
      d::set_of(v).for_each([&](const Value& key, std::int64_t) {
        py::object k = convert(key, depth + 1, shared);
        if (PySet_Add(out.ptr(), k.ptr()) != 0) throw py::error_already_set();
      });
      return out;
    }
    case Tag::Range: {
      const auto& r = d::range_of(v);
      return steal_or_throw(PyObject_CallFunction(
          reinterpret_cast<PyObject*>(&PyRange_Type), "LLL", static_cast<long long>(r.start),
          static_cast<long long>(r.stop), static_cast<long long>(r.step)));
    }
    default:
      // Functions, types and iterators never leave the evaluator (they become raw text).
      return text_to_python(v.repr());
  }
}

// ---- Python -> Value (for the JSON mapping of values a program set) ----------------------

std::int64_t int64_attribute(PyObject* object, const char* name) {
  py::object attribute = steal_or_throw(PyObject_GetAttrString(object, name));
  long long out = PyLong_AsLongLong(attribute.ptr());
  if (out == -1 && PyErr_Occurred()) throw py::error_already_set();
  return out;
}

Value from_python(PyObject* o, int depth) {
  namespace d = hparams::detail;
  if (depth > kMaxDepth) too_deep();
  if (o == Py_None) return Value();
  if (PyBool_Check(o)) return Value(o == Py_True);
  if (PyLong_Check(o)) {
    int overflow = 0;
    long long small = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow == 0) {
      if (small == -1 && PyErr_Occurred()) throw py::error_already_set();
      return Value(small);
    }
    py::object hex = steal_or_throw(PyNumber_ToBase(o, 16));  // "-0x1f", no digit limit
    std::string text = hex.cast<std::string>();
    bool negative = text[0] == '-';
    hparams::detail::Mpz z;
    mpz_set_str(z, text.c_str() + (negative ? 3 : 2), 16);
    if (negative) mpz_neg(z, z);
    return d::make_int(z);
  }
  if (PyFloat_Check(o)) return Value(PyFloat_AS_DOUBLE(o));
  if (PyUnicode_Check(o)) {
    py::object bytes = steal_or_throw(PyUnicode_AsEncodedString(o, "utf-8", "surrogatepass"));
    return d::make_str(std::string(PyBytes_AS_STRING(bytes.ptr()),
                                   static_cast<std::size_t>(PyBytes_GET_SIZE(bytes.ptr()))));
  }
  if (PyList_Check(o) || PyTuple_Check(o)) {
    py::object fast = steal_or_throw(PySequence_Fast(o, "a list or tuple"));
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast.ptr());
    std::vector<Value> items;
    items.reserve(static_cast<std::size_t>(n));
    for (Py_ssize_t i = 0; i < n; ++i) {
      items.push_back(from_python(PySequence_Fast_GET_ITEM(fast.ptr(), i), depth + 1));
    }
    return PyList_Check(o) ? Value::list(std::move(items)) : Value::tuple(std::move(items));
  }
  if (PyDict_Check(o)) {
    std::vector<std::pair<Value, Value>> entries;
    PyObject *key = nullptr, *value = nullptr;
    Py_ssize_t position = 0;
    while (PyDict_Next(o, &position, &key, &value)) {
      entries.emplace_back(from_python(key, depth + 1), from_python(value, depth + 1));
    }
    return Value::dict(std::move(entries));
  }
  if (PyAnySet_Check(o)) {
    std::vector<Value> items;
    py::object iterator = steal_or_throw(PyObject_GetIter(o));
    while (PyObject* item = PyIter_Next(iterator.ptr())) {
      py::object held = py::reinterpret_steal<py::object>(item);
      items.push_back(from_python(item, depth + 1));
    }
    if (PyErr_Occurred()) throw py::error_already_set();
    return Value::set(std::move(items));
  }
  if (PyRange_Check(o)) {
    return d::make_range(int64_attribute(o, "start"), int64_attribute(o, "stop"),
                         int64_attribute(o, "step"));
  }
  throw py::type_error(std::string("a value of type ") + Py_TYPE(o)->tp_name +
                       " has no place in a config (None, bool, int, float, str, list, tuple, "
                       "dict, set or range)");
}

// ---- Errors -------------------------------------------------------------------------------

// The Python exception of `e`'s kind, built by hparams.errors._from_core.
py::object exception_of(const Error& e) {
  auto details = [](const Error& one) {
    return py::make_tuple(std::string(one.kind_name()), one.message(), one.location().file,
                          one.location().line, one.location().column, one.key(),
                          std::string(one.what()));
  };
  py::list errors;
  std::string report;
  if (const auto* list = dynamic_cast<const hparams::ErrorList*>(&e)) {
    for (const Error& one : list->errors()) errors.append(details(one));
    report = list->reports();
    while (!report.empty() && report.back() == '\n') report.pop_back();
  } else {
    errors.append(details(e));
    report = e.what();
  }
  py::object factory = py::module_::import("hparams.errors").attr("_from_core");
  return factory(errors, report);
}

// Raises `e` as the Python exception of its kind.
void raise_python(const Error& e) {
  py::object exception = exception_of(e);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr())), exception.ptr());
}

// ---- Messages -----------------------------------------------------------------------------

// An ostream that writes to a Python text stream (sys.stdout at the time of the call, so
// that redirect_stdout and pytest's capture see the messages), taking the GIL per flush.
class PythonStreamBuf : public std::streambuf {
 public:
  explicit PythonStreamBuf(py::object stream) : stream_(std::move(stream)) {}
  ~PythonStreamBuf() override { flush_to_python(); }

 protected:
  int_type overflow(int_type ch) override {
    if (ch != traits_type::eof()) buffer_ += static_cast<char>(ch);
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    buffer_.append(s, static_cast<std::size_t>(n));
    return n;
  }
  int sync() override {
    flush_to_python();
    return 0;
  }

 private:
  void flush_to_python() {
    if (buffer_.empty()) return;
    py::gil_scoped_acquire gil;
    try {
      stream_.attr("write")(text_to_python(buffer_, "surrogateescape"));
      stream_.attr("flush")();
    } catch (py::error_already_set&) {
      // A closed or broken stream must not turn a run into a failure.
    }
    buffer_.clear();
  }
  py::object stream_;
  std::string buffer_;
};

struct PythonOstream {
  explicit PythonOstream(const py::object& stream) {
    if (!stream.is_none()) {
      buf.emplace(stream);
      out.emplace(&*buf);
    }
  }
  std::ostream* get() { return out ? &*out : nullptr; }
  std::optional<PythonStreamBuf> buf;
  std::optional<std::ostream> out;
};

// ---- Loaded documents ---------------------------------------------------------------------

// (file, text, sections, failed): sections is [(name, {key: raw text}, {key: value})] in
// file order, DEFAULT first (empty when the file has none); own entries only, in file order.
// failed is [(key, exception)]: [DEFAULT] values that did not evaluate and that no section
// inherits (reading them raises).
py::tuple loaded(const hparams::Config& config) {
  const hparams::ini::Document& doc = config.document();
  py::list failed;
  auto section = [&](const hparams::ini::Section* s, const std::string& name) {
    py::dict raw, values;
    if (s != nullptr) {
      for (const hparams::ini::Entry& entry : s->entries) {
        py::object key = text_to_python(std::string(entry.key));
        raw[key] = text_to_python(std::string(entry.value));
        try {
          const Value* v = config.find(name, entry.key);
          values[key] = v != nullptr ? to_python(*v, 0) : py::none();
        } catch (const Error& e) {
          values[key] = py::none();
          failed.append(py::make_tuple(key, exception_of(e)));
        }
      }
    }
    return py::make_tuple(name, raw, values);
  };
  py::list sections;
  sections.append(section(doc.defaults(), "DEFAULT"));
  for (const hparams::ini::Section& s : doc.sections()) {
    if (!s.is_default) sections.append(section(&s, s.name));
  }
  return py::make_tuple(doc.file(), text_to_python(doc.str()), sections, failed);
}

std::string path_text(const py::bytes& path) { return std::string(path); }

hparams::LoadOptions load_options(std::uint64_t max_steps, std::size_t max_bytes) {
  hparams::LoadOptions options;
  if (max_steps != 0) options.limits.max_steps = max_steps;
  if (max_bytes != 0) options.limits.max_total_bytes = max_bytes;
  return options;
}

py::tuple load(const py::bytes& path, std::uint64_t max_steps, std::size_t max_bytes) {
  std::string file = path_text(path);
  std::optional<hparams::Config> config;
  {
    py::gil_scoped_release release;
    config.emplace(hparams::Config::load(file, load_options(max_steps, max_bytes)));
  }
  return loaded(*config);
}

py::tuple parse(std::string text, std::string file, std::uint64_t max_steps,
                std::size_t max_bytes) {
  std::optional<hparams::Config> config;
  {
    py::gil_scoped_release release;
    config.emplace(hparams::Config::parse(std::move(text), std::move(file),
                                          load_options(max_steps, max_bytes)));
  }
  return loaded(*config);
}

py::object evaluate(const std::string& text, bool raw_name, std::uint64_t max_steps,
                    std::size_t max_bytes) {
  if (raw_name) return text_to_python(text);
  std::optional<Value> value;
  {
    py::gil_scoped_release release;
    value = hparams::evaluate(text, load_options(max_steps, max_bytes).limits);
  }
  return to_python(*value, 0);
}

std::chrono::milliseconds checked_timeout(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e9) {
    throw Error(ErrorKind::ValueError,
                "rank_timeout must be a finite number of seconds between 0 "
                "and 1e9, not " +
                    std::to_string(seconds));
  }
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

py::tuple open_run(const py::bytes& project, const std::string& filename,
                   const std::string& object_name, const std::vector<std::string>& overrides,
                   const std::string& resume, std::optional<int> rank, double rank_timeout,
                   const std::string& backup_uri, const std::string& gcs_project,
                   const std::string& gcs_bucket, bool backup_required, bool every_rank_prints,
                   const py::object& out, const py::object& notes, std::uint64_t max_steps,
                   std::size_t max_bytes) {
  hparams::RunOptions options;
  options.filename = filename;
  options.name = object_name;
  for (const std::string& o : overrides) options.overrides.push_back(hparams::parse_override(o));
  if (resume == "strict") {
    options.resume = hparams::ResumePolicy::Strict;
  } else if (resume == "warn") {
    options.resume = hparams::ResumePolicy::Warn;
  } else if (!resume.empty()) {
    throw Error(
        ErrorKind::ValueError,
        "resume must be 'warn', 'strict' or None (the config decides), not '" + resume + "'");
  }
  options.rank = rank;
  options.every_rank_prints = every_rank_prints;
  options.rank_timeout = checked_timeout(rank_timeout);
  options.backup.uri = backup_uri;
  options.backup.gcs_backup_project = gcs_project;
  options.backup.gcs_backup_bucket = gcs_bucket;
  options.backup.required = backup_required;
  options.load = load_options(max_steps, max_bytes);
  PythonOstream messages(out), reports(notes);
  options.messages = messages.get();
  options.notes = reports.get();
  options.quiet = options.messages == nullptr;  // quiet=True in Python passes no streams
  std::optional<hparams::HParams> run;
  {
    py::gil_scoped_release release;
    run.emplace(hparams::HParams::open(path_text(project), options));
    if (messages.out) messages.out->flush();
    if (reports.out) reports.out->flush();
  }
  py::list differences;
  for (const hparams::Difference& d : run->differences()) {
    differences.append(py::make_tuple(d.key, d.first ? py::object(py::str(*d.first)) : py::none(),
                                      d.second ? py::object(py::str(*d.second)) : py::none()));
  }
  py::list applied;
  for (const hparams::AppliedOverride& a : run->overrides()) {
    applied.append(py::make_tuple(a.section, a.key, a.value, a.added));
  }
  py::dict facts;
  facts["run_name"] = run->run_name();
  facts["project_path"] = py::bytes(run->project_path().string());
  facts["source_file"] = py::bytes(run->source_file().string());
  facts["log_dir"] = py::bytes(run->log_dir().string());
  facts["saved_file"] = py::bytes(run->saved_file().string());
  facts["history_file"] = py::bytes(run->history_file().string());
  facts["is_new_run"] = run->is_new_run();
  facts["is_restored"] = run->is_restored();
  facts["is_received"] = run->is_received();
  facts["is_leader"] = run->is_leader();
  facts["snapshot_file"] = py::bytes(run->paths().snapshot.string());
  facts["backup_uri"] = run->backup_uri();
  facts["differences"] = differences;
  facts["overrides"] = applied;
  return py::make_tuple(loaded(run->config()), facts);
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "The C++ engine of the hparams package (use the hparams module, not this one).";
  m.attr("__version__") = std::string(hparams::kVersion);

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      raise_python(e);
    }
  });

  m.def("load", &load, py::arg("path"), py::arg("max_steps") = 0, py::arg("max_bytes") = 0);
  m.def("parse", &parse, py::arg("text"), py::arg("file"), py::arg("max_steps") = 0,
        py::arg("max_bytes") = 0);
  m.def("evaluate", &evaluate, py::arg("text"), py::arg("raw_name") = false,
        py::arg("max_steps") = 0, py::arg("max_bytes") = 0);
  m.def("open_run", &open_run);
  m.def("to_json", [](const py::handle& value, int indent) {
    return hparams::to_json(from_python(value.ptr(), 0), indent);
  });
  m.def("is_override", [](const std::string& argument) { return hparams::is_override(argument); });
  m.def("parse_override", [](const std::string& argument) {
    hparams::Override o = hparams::parse_override(argument);
    return py::make_tuple(o.key, o.value);
  });
  m.def("rank_from_environment", &hparams::rank_from_environment);
  m.def("set_backup_helper",
        [](const std::string& path) { hparams::set_backup_helper(std::filesystem::path(path)); });
  // ConfigError for an override the shell split (the same check as take_overrides in C++).
  m.def("check_split_overrides", [](const std::vector<std::string>& args) {
    std::vector<std::string> copy = args;
    std::vector<char*> argv{const_cast<char*>("python")};
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    int argc = static_cast<int>(argv.size()) - 1;
    hparams::take_overrides(argc, argv.data());
  });
}
