// The example trainer: a multi-layer perceptron, in plain C++, learning to tell apart the arms
// of interleaved spirals generated from run.seed. Everything it does comes from hparams.cfg.
//
//   train [PROJECT_DIR] [section.key=value ...] [--stop-after EPOCH]
//
// The first launch of a run name is a new run: hparams saves the config in
// PROJECT_DIR/logs-<run.name>/, and the trainer writes its checkpoints and metrics.csv there.
// A later launch resumes from the saved config and the last checkpoint. --stop-after (or
// Ctrl-C) stops after an epoch with a checkpoint, as a preempted machine would.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <hparams/hparams.hpp>
#include <iostream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

// ---- Configuration: the [model] section through the ADL hook ------------------------------

struct ModelConfig {
  std::vector<int> layers;
  std::string activation;
  std::string init;
};

void hparams_from_value(const hparams::Field& f, ModelConfig& m) {
  m.layers = f.get<std::vector<int>>("layers");
  m.activation = f.get<std::string>("activation");
  m.init = f.get_or<std::string>("init", "xavier");
  for (int width : m.layers) {
    if (width < 1 || width > 4096) {
      throw hparams::Error(hparams::ErrorKind::ValueError, "layers: widths must be 1..4096");
    }
  }
  if (m.activation != "relu" && m.activation != "tanh" && m.activation != "sigmoid") {
    throw hparams::Error(hparams::ErrorKind::ValueError,
                         "activation: expected relu, tanh or sigmoid, got " + m.activation);
  }
  if (m.init != "he" && m.init != "xavier") {
    throw hparams::Error(hparams::ErrorKind::ValueError,
                         "init: expected he or xavier, got " + m.init);
  }
}

struct TrainConfig {
  std::uint32_t seed;
  int epochs, checkpoint_every, batch_size, classes, points_per_class;
  double turns, noise, validation_fraction, learning_rate, momentum, weight_decay;
  std::string optimizer;
  std::vector<std::pair<int, double>> schedule;
  ModelConfig model;
};

TrainConfig read_config(const hparams::HParams& hp) {
  TrainConfig c;
  c.seed = hp.get<std::uint32_t>("run.seed");
  c.epochs = hp.get<int>("run.epochs");
  c.checkpoint_every = std::max(1, hp.get_or<int>("run.checkpoint_every", 5));
  c.classes = hp.get<int>("data.classes");
  c.points_per_class = hp.get<int>("data.points_per_class");
  c.turns = hp.get<double>("data.turns");
  c.noise = hp.get<double>("data.noise");
  c.validation_fraction = hp.get<double>("data.validation_fraction");
  c.model = hp.get<ModelConfig>("model");
  c.batch_size = hp.get<int>("train.batch_size");
  c.optimizer = hp.get<std::string>("train.optimizer");
  c.learning_rate = hp.get<double>("train.learning_rate");
  c.momentum = hp.get<double>("train.momentum");
  c.weight_decay = hp.get<double>("train.weight_decay");
  c.schedule = hp.get<std::vector<std::pair<int, double>>>("train.schedule");
  if (c.optimizer != "adam" && c.optimizer != "sgd") {
    throw hparams::Error(hparams::ErrorKind::ValueError,
                         "train.optimizer: expected adam or sgd, got " + c.optimizer);
  }
  if (c.classes < 2 || c.points_per_class < 1 || c.batch_size < 1 || c.epochs < 0 ||
      c.validation_fraction <= 0 || c.validation_fraction >= 1) {
    throw hparams::Error(hparams::ErrorKind::ValueError,
                         "data/train: need classes >= 2, points_per_class >= 1, batch_size >= 1, "
                         "epochs >= 0 and 0 < validation_fraction < 1");
  }
  return c;
}

double learning_rate_at(const TrainConfig& c, int epoch) {
  double factor = 1.0;
  for (const auto& [first_epoch, f] : c.schedule) {
    if (epoch >= first_epoch) factor = f;
  }
  return c.learning_rate * factor;
}

// ---- Data ---------------------------------------------------------------------------------

struct Sample {
  double x, y;
  int label;
};

std::vector<Sample> spirals(const TrainConfig& c) {
  std::mt19937 random(c.seed);
  std::normal_distribution<double> jitter(0.0, c.noise);
  std::vector<Sample> out;
  const double pi = std::acos(-1.0);
  for (int k = 0; k < c.classes; ++k) {
    for (int i = 0; i < c.points_per_class; ++i) {
      double r = (i + 1.0) / c.points_per_class;
      double t = c.turns * pi * r + 2 * pi * k / c.classes;
      out.push_back(
          {r * std::cos(t) + jitter(random) * r, r * std::sin(t) + jitter(random) * r, k});
    }
  }
  std::shuffle(out.begin(), out.end(), random);
  return out;
}

// ---- The network --------------------------------------------------------------------------

class Mlp {
 public:
  Mlp(const std::vector<int>& widths, const std::string& activation, const std::string& init,
      std::uint32_t seed)
      : widths_(widths), activation_(activation) {
    std::size_t total = 0;
    for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
      offsets_.push_back(total);
      total += static_cast<std::size_t>(widths_[l] + 1) * widths_[l + 1];  // weights and bias
    }
    params_.assign(total, 0.0);
    std::mt19937 random(seed ^ 0x9E3779B9u);
    for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
      double fan_in = widths_[l], fan_out = widths_[l + 1];
      double scale = init == "he" ? std::sqrt(2.0 / fan_in) : std::sqrt(2.0 / (fan_in + fan_out));
      std::normal_distribution<double> normal(0.0, scale);
      for (int o = 0; o < widths_[l + 1]; ++o) {
        for (int i = 0; i < widths_[l]; ++i) params_[weight(l, o, i)] = normal(random);
      }
    }
  }

  std::vector<double>& params() { return params_; }

  // Forward pass for one input; keeps the activations for backward().
  const std::vector<double>& forward(double x, double y) {
    acts_.resize(widths_.size());
    acts_[0] = {x, y};
    for (std::size_t l = 0; l + 1 < widths_.size(); ++l) {
      std::vector<double>& out = acts_[l + 1];
      out.assign(static_cast<std::size_t>(widths_[l + 1]), 0.0);
      bool last = l + 2 == widths_.size();
      for (int o = 0; o < widths_[l + 1]; ++o) {
        double sum = params_[bias(l, o)];
        for (int i = 0; i < widths_[l]; ++i) sum += params_[weight(l, o, i)] * acts_[l][i];
        out[o] = last ? sum : activate(sum);
      }
    }
    // Softmax of the logits.
    std::vector<double>& logits = acts_.back();
    probabilities_ = logits;
    double peak = *std::max_element(probabilities_.begin(), probabilities_.end());
    double total = 0;
    for (double& p : probabilities_) total += (p = std::exp(p - peak));
    for (double& p : probabilities_) p /= total;
    return probabilities_;
  }

  // Adds the gradient of the cross-entropy of the last forward() for `label` to `grad`.
  void backward(int label, std::vector<double>& grad) {
    std::vector<double> delta = probabilities_;
    delta[static_cast<std::size_t>(label)] -= 1.0;
    for (std::size_t l = widths_.size() - 1; l-- > 0;) {
      std::vector<double> below(static_cast<std::size_t>(widths_[l]), 0.0);
      for (int o = 0; o < widths_[l + 1]; ++o) {
        grad[bias(l, o)] += delta[o];
        for (int i = 0; i < widths_[l]; ++i) {
          grad[weight(l, o, i)] += delta[o] * acts_[l][i];
          below[i] += delta[o] * params_[weight(l, o, i)];
        }
      }
      if (l == 0) break;
      for (int i = 0; i < widths_[l]; ++i) below[i] *= derivative(acts_[l][i]);
      delta = std::move(below);
    }
  }

 private:
  std::size_t weight(std::size_t l, int o, int i) const {
    return offsets_[l] + static_cast<std::size_t>(o) * (widths_[l] + 1) + i;
  }
  std::size_t bias(std::size_t l, int o) const {
    return offsets_[l] + static_cast<std::size_t>(o) * (widths_[l] + 1) + widths_[l];
  }
  double activate(double v) const {
    if (activation_ == "relu") return v > 0 ? v : 0;
    if (activation_ == "tanh") return std::tanh(v);
    return 1 / (1 + std::exp(-v));
  }
  // The derivative, from the activation's output.
  double derivative(double a) const {
    if (activation_ == "relu") return a > 0 ? 1 : 0;
    if (activation_ == "tanh") return 1 - a * a;
    return a * (1 - a);
  }

  std::vector<int> widths_;
  std::string activation_;
  std::vector<std::size_t> offsets_;
  std::vector<double> params_;
  std::vector<std::vector<double>> acts_;
  std::vector<double> probabilities_;
};

// Adam, or SGD with momentum; L2 weight decay through the gradient.
struct Optimizer {
  std::string kind;
  double momentum = 0.9, weight_decay = 0;
  std::int64_t step = 0;
  std::vector<double> m, v;

  void apply(std::vector<double>& params, const std::vector<double>& grad, double lr) {
    if (m.empty()) {
      m.assign(params.size(), 0.0);
      v.assign(params.size(), 0.0);
    }
    ++step;
    for (std::size_t i = 0; i < params.size(); ++i) {
      double g = grad[i] + weight_decay * params[i];
      if (kind == "adam") {
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        double m_hat = m[i] / (1 - std::pow(0.9, static_cast<double>(step)));
        double v_hat = v[i] / (1 - std::pow(0.999, static_cast<double>(step)));
        params[i] -= lr * m_hat / (std::sqrt(v_hat) + 1e-8);
      } else {
        m[i] = momentum * m[i] + g;
        params[i] -= lr * m[i];
      }
    }
  }
};

// ---- Checkpoints and metrics --------------------------------------------------------------

namespace fs = std::filesystem;

fs::path checkpoint_path(const fs::path& dir, int epoch) {
  char name[40];
  std::snprintf(name, sizeof name, "checkpoint-epoch-%04d.bin", epoch);
  return dir / name;
}

void save_checkpoint(const fs::path& dir, int epoch, const std::vector<double>& params,
                     const Optimizer& opt) {
  fs::path target = checkpoint_path(dir, epoch);
  fs::path temporary = target.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    auto put = [&](const void* data, std::size_t size) {
      out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    };
    std::uint64_t n = params.size();
    put("HPCKPT1\n", 8);
    put(&epoch, sizeof epoch);
    put(&opt.step, sizeof opt.step);
    put(&n, sizeof n);
    put(params.data(), n * sizeof(double));
    put(opt.m.data(), n * sizeof(double));
    put(opt.v.data(), n * sizeof(double));
    if (!out.flush()) throw std::runtime_error("cannot write " + temporary.string());
  }
  fs::rename(temporary, target);  // a checkpoint is complete or absent
}

// The last complete checkpoint's epoch, or 0.
int load_last_checkpoint(const fs::path& dir, std::vector<double>& params, Optimizer& opt) {
  int best = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    int epoch = 0;
    if (std::sscanf(e.path().filename().string().c_str(), "checkpoint-epoch-%d.bin", &epoch) == 1 &&
        e.path().extension() == ".bin") {
      best = std::max(best, epoch);
    }
  }
  if (best == 0) return 0;
  fs::path file = checkpoint_path(dir, best);
  std::ifstream in(file, std::ios::binary);
  char magic[8];
  int epoch = 0;
  std::uint64_t n = 0;
  in.read(magic, 8);
  in.read(reinterpret_cast<char*>(&epoch), sizeof epoch);
  in.read(reinterpret_cast<char*>(&opt.step), sizeof opt.step);
  in.read(reinterpret_cast<char*>(&n), sizeof n);
  if (!in || std::string(magic, 8) != "HPCKPT1\n" || n != params.size() || epoch != best) {
    throw std::runtime_error(file.string() + " is not a checkpoint of this model");
  }
  opt.m.assign(n, 0.0);
  opt.v.assign(n, 0.0);
  in.read(reinterpret_cast<char*>(params.data()), static_cast<std::streamsize>(n * sizeof(double)));
  in.read(reinterpret_cast<char*>(opt.m.data()), static_cast<std::streamsize>(n * sizeof(double)));
  in.read(reinterpret_cast<char*>(opt.v.data()), static_cast<std::streamsize>(n * sizeof(double)));
  if (!in) throw std::runtime_error(file.string() + " is truncated");
  return best;
}

// metrics.csv keeps the rows up to `epoch` (rows written after the last checkpoint are
// dropped: those epochs run again).
void trim_metrics(const fs::path& file, int epoch) {
  std::ifstream in(file);
  std::string line, kept;
  while (std::getline(in, line)) {
    if (line.rfind("epoch,", 0) == 0 || std::atoi(line.c_str()) <= epoch) kept += line + "\n";
  }
  std::ofstream(file, std::ios::trunc) << kept;
}

// ---- Training -----------------------------------------------------------------------------

std::atomic<bool> interrupted{false};

struct Score {
  double loss = 0, accuracy = 0;
};

Score evaluate(Mlp& net, const std::vector<Sample>& data) {
  Score s;
  for (const Sample& x : data) {
    const auto& p = net.forward(x.x, x.y);
    s.loss -= std::log(std::max(p[static_cast<std::size_t>(x.label)], 1e-12));
    s.accuracy += std::max_element(p.begin(), p.end()) - p.begin() == x.label ? 1 : 0;
  }
  s.loss /= static_cast<double>(data.size());
  s.accuracy /= static_cast<double>(data.size());
  return s;
}

std::string bar(double fraction, int width = 24) {
  int full = static_cast<int>(fraction * width + 0.5);
  return "[" + std::string(static_cast<std::size_t>(full), '#') +
         std::string(static_cast<std::size_t>(width - full), '.') + "]";
}

int train(const hparams::HParams& hp, int stop_after) {
  TrainConfig c = read_config(hp);
  std::vector<Sample> data = spirals(c);
  auto validation_size = static_cast<std::size_t>(c.validation_fraction * data.size());
  std::vector<Sample> validation(data.begin(), data.begin() + validation_size);
  std::vector<Sample> training(data.begin() + validation_size, data.end());

  std::vector<int> widths = {2};
  widths.insert(widths.end(), c.model.layers.begin(), c.model.layers.end());
  widths.push_back(c.classes);
  Mlp net(widths, c.model.activation, c.model.init, c.seed);
  Optimizer opt{c.optimizer, c.momentum, c.weight_decay, 0, {}, {}};

  fs::path dir = hp.log_dir();
  fs::path metrics = dir / "metrics.csv";
  int start = load_last_checkpoint(dir, net.params(), opt);
  std::printf("%zu parameters; %zu training and %zu validation points in %d classes\n",
              net.params().size(), training.size(), validation.size(), c.classes);
  if (start > 0) {
    std::printf("Resuming from %s (epoch %d of %d)\n",
                checkpoint_path(dir, start).filename().string().c_str(), start, c.epochs);
    trim_metrics(metrics, start);
  } else {
    std::ofstream(metrics, std::ios::trunc)
        << "epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,"
           "seconds\n";
  }
  if (start >= c.epochs) {
    Score v = evaluate(net, validation);
    std::printf("Training is complete: validation loss %.4f, accuracy %.1f%%\n", v.loss,
                100 * v.accuracy);
    return 0;
  }

  bool live = ::isatty(STDOUT_FILENO) != 0;
  std::vector<double> grad(net.params().size());
  std::vector<std::size_t> order(training.size());
  Score v;
  for (int epoch = start + 1; epoch <= c.epochs; ++epoch) {
    auto began = std::chrono::steady_clock::now();
    double lr = learning_rate_at(c, epoch - 1);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937 shuffle(c.seed + static_cast<std::uint32_t>(epoch));  // resumable
    std::shuffle(order.begin(), order.end(), shuffle);
    double loss = 0;
    int correct = 0;
    std::size_t seen = 0;
    for (std::size_t b = 0; b < order.size(); b += static_cast<std::size_t>(c.batch_size)) {
      std::size_t end = std::min(order.size(), b + static_cast<std::size_t>(c.batch_size));
      std::fill(grad.begin(), grad.end(), 0.0);
      for (std::size_t k = b; k < end; ++k) {
        const Sample& s = training[order[k]];
        const auto& p = net.forward(s.x, s.y);
        loss -= std::log(std::max(p[static_cast<std::size_t>(s.label)], 1e-12));
        correct += std::max_element(p.begin(), p.end()) - p.begin() == s.label ? 1 : 0;
        net.backward(s.label, grad);
      }
      for (double& g : grad) g /= static_cast<double>(end - b);
      opt.apply(net.params(), grad, lr);
      seen = end;
      if (live) {
        std::printf("\repoch %3d/%d %s loss %.4f acc %5.1f%%", epoch, c.epochs,
                    bar(static_cast<double>(seen) / order.size()).c_str(), loss / seen,
                    100.0 * correct / seen);
        std::fflush(stdout);
      }
    }
    v = evaluate(net, validation);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    std::printf(
        "%sepoch %3d/%d %s loss %.4f acc %5.1f%% | validation loss %.4f acc %5.1f%% | "
        "lr %.1e\n",
        live ? "\r" : "", epoch, c.epochs, bar(1.0).c_str(), loss / seen, 100.0 * correct / seen,
        v.loss, 100 * v.accuracy, lr);
    std::ofstream(metrics, std::ios::app)
        << epoch << ',' << loss / seen << ',' << static_cast<double>(correct) / seen << ','
        << v.loss << ',' << v.accuracy << ',' << lr << ',' << seconds << '\n';
    bool stop = epoch == stop_after || interrupted;
    if (epoch % c.checkpoint_every == 0 || epoch == c.epochs || stop) {
      save_checkpoint(dir, epoch, net.params(), opt);
    }
    if (stop && epoch < c.epochs) {
      std::printf("Stopped after epoch %d with a checkpoint; launch again to resume.\n", epoch);
      return interrupted ? 130 : 0;
    }
  }
  std::printf(
      "Done: validation accuracy %.1f%% after %d epochs. Checkpoints and metrics.csv in "
      "%s\n",
      100 * v.accuracy, c.epochs, dir.string().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, [](int) { interrupted = true; });
  try {
    // Overrides (section.key=value) are taken out of argv; the rest is ours.
    auto hp_args = hparams::take_overrides(argc, argv);
    std::string project = ".";
    int stop_after = 0;
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg == "--stop-after" && i + 1 < argc) {
        stop_after = std::atoi(argv[++i]);
      } else if (arg == "-h" || arg == "--help") {
        std::printf("usage: %s [PROJECT_DIR] [section.key=value ...] [--stop-after EPOCH]\n",
                    argv[0]);
        return 0;
      } else if (!arg.empty() && arg[0] != '-') {
        project = arg;
      } else {
        std::fprintf(stderr, "unknown argument %s (try --help)\n", arg.c_str());
        return 2;
      }
    }
    hparams::RunOptions options;
    options.overrides = std::move(hp_args);
    auto hp = hparams::HParams::create(project, options);
    return train(*hp, stop_after);
  } catch (const hparams::ErrorList& e) {
    std::cerr << e.reports();
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}
