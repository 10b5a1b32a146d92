// The libtorch example: a multi-layer perceptron on spirals in C++ with libtorch (CPU),
// configured entirely by hparams.cfg: the model's widths and activation, Adam with its betas
// read as a tuple, a learning-rate schedule read as a list of (epoch, factor) tuples.
//
//   torch_train [PROJECT_DIR] [section.key=value ...] [--stop-after EPOCH]
//
// The first launch of a run name saves the config in PROJECT_DIR/logs-<run.name>/, where
// checkpoints (torch::save) go; a later launch resumes from the saved config and the last
// checkpoint (torch::load). Progress is a bar on a terminal, a line per epoch otherwise.
#include <torch/torch.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <hparams/hparams.hpp>
#include <iostream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Settings {
  int seed = 0, epochs = 0, checkpoint_every = 1, classes = 0, points_per_class = 0, batch_size = 0;
  double turns = 0, noise = 0, validation_fraction = 0, lr = 0, weight_decay = 0, dropout = 0;
  std::vector<int> widths;
  std::string activation, optimizer;
  std::pair<double, double> betas;               // a tuple in the cfg: (0.9, 0.999)
  std::vector<std::pair<int, double>> schedule;  // a list of tuples: [(0, 1.0), (15, 0.3)]
};

Settings settings_of(const hparams::HParams& hp) {
  Settings s;
  s.seed = hp.get<int>("run.seed");
  s.epochs = hp.get<int>("run.epochs");
  s.checkpoint_every = hp.get<int>("run.checkpoint_every");
  s.classes = hp.get<int>("data.classes");
  s.points_per_class = hp.get<int>("data.points_per_class");
  s.turns = hp.get<double>("data.turns");
  s.noise = hp.get<double>("data.noise");
  s.validation_fraction = hp.get<double>("data.validation_fraction");
  s.widths = hp.get<std::vector<int>>("model.widths");
  s.activation = hp.get<std::string>("model.activation");
  s.dropout = hp.get<double>("model.dropout");
  s.optimizer = hp.get<std::string>("optimizer.name");
  s.lr = hp.get<double>("optimizer.lr");
  s.betas = hp.get<std::pair<double, double>>("optimizer.betas");
  s.weight_decay = hp.get<double>("optimizer.weight_decay");
  s.batch_size = hp.get<int>("train.batch_size");
  s.schedule = hp.get<std::vector<std::pair<int, double>>>("train.schedule");
  if (s.optimizer != "adam") {
    throw hparams::Error(hparams::ErrorKind::ValueError,
                         "optimizer.name: this example trains with adam, not " + s.optimizer);
  }
  return s;
}

// Interleaved spiral arms, one per class, as the other examples make them.
std::pair<torch::Tensor, torch::Tensor> spirals(const Settings& s) {
  torch::manual_seed(s.seed);
  std::vector<torch::Tensor> xs, ys;
  for (int c = 0; c < s.classes; ++c) {
    auto radius = torch::arange(1, s.points_per_class + 1, torch::kFloat32) / s.points_per_class;
    auto angle = s.turns * M_PI * radius + 2 * M_PI * c / s.classes;
    auto points = torch::stack({radius * torch::cos(angle), radius * torch::sin(angle)}, 1);
    xs.push_back(points + s.noise * radius.unsqueeze(1) * torch::randn({s.points_per_class, 2}));
    ys.push_back(torch::full({s.points_per_class}, c, torch::kLong));
  }
  auto x = torch::cat(xs), y = torch::cat(ys);
  auto order = torch::randperm(y.size(0));
  return {x.index_select(0, order), y.index_select(0, order)};
}

torch::nn::Sequential model_of(const Settings& s) {
  torch::nn::Sequential net;
  int width_in = 2;
  for (int width : s.widths) {
    net->push_back(torch::nn::Linear(width_in, width));
    if (s.activation == "tanh") {
      net->push_back(torch::nn::Tanh());
    } else if (s.activation == "relu") {
      net->push_back(torch::nn::ReLU());
    } else {
      throw hparams::Error(hparams::ErrorKind::ValueError,
                           "model.activation: expected tanh or relu, got " + s.activation);
    }
    if (s.dropout > 0) net->push_back(torch::nn::Dropout(s.dropout));
    width_in = width;
  }
  net->push_back(torch::nn::Linear(width_in, s.classes));
  return net;
}

double factor(const Settings& s, int epoch) {
  double out = 1.0;
  for (const auto& [first, f] : s.schedule) {
    if (epoch >= first) out = f;
  }
  return out;
}

fs::path checkpoint_name(const fs::path& dir, int epoch) {
  char name[64];
  std::snprintf(name, sizeof(name), "checkpoint-epoch-%04d.pt", epoch);
  return dir / name;
}

// The model, the optimizer and the epoch in one archive, written atomically.
void save(const fs::path& path, torch::nn::Sequential& net, torch::optim::Adam& optimizer,
          int epoch) {
  torch::serialize::OutputArchive archive, model, optim;
  net->save(model);
  optimizer.save(optim);
  archive.write("model", model);
  archive.write("optimizer", optim);
  archive.write("epoch", torch::tensor(static_cast<std::int64_t>(epoch)));
  fs::path temporary = path.string() + ".tmp";
  archive.save_to(temporary.string());
  fs::rename(temporary, path);
}

int load(const fs::path& path, torch::nn::Sequential& net, torch::optim::Adam& optimizer) {
  torch::serialize::InputArchive archive, model, optim;
  archive.load_from(path.string());
  archive.read("model", model);
  archive.read("optimizer", optim);
  net->load(model);
  optimizer.load(optim);
  torch::Tensor epoch;
  archive.read("epoch", epoch);
  return static_cast<int>(epoch.item<std::int64_t>());
}

void progress(int epoch, int epochs, double loss, double accuracy, double validation, double lr) {
  const int width = 24;
  int done = width * epoch / epochs;
  std::string bar = std::string(done, '#') + std::string(width - done, '.');
  char line[200];
  std::snprintf(line, sizeof(line),
                "epoch %3d/%d [%s] loss %.4f acc %5.1f%% | validation acc %5.1f%% | lr %.1e", epoch,
                epochs, bar.c_str(), loss, 100 * accuracy, 100 * validation, lr);
  if (isatty(1)) {
    std::cout << '\r' << line << (epoch == epochs ? "\n" : "") << std::flush;
  } else {
    std::cout << line << '\n' << std::flush;
  }
}

}  // namespace

int main(int argc, char** argv) try {
  int stop_after = -1;
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--stop-after" && i + 1 < argc) {
      stop_after = std::stoi(argv[++i]);
    } else {
      rest.push_back(argv[i]);
    }
  }
  int count = static_cast<int>(rest.size());
  rest.push_back(nullptr);
  // The overrides come out of the arguments; what is left is the project directory.
  std::vector<hparams::Override> overrides = hparams::take_overrides(count, rest.data());
  fs::path project = count > 1 ? fs::path(rest[1]) : fs::path(".");
  hparams::RunOptions options;
  options.overrides = overrides;
  auto hp = hparams::HParams::create(project, options);
  const Settings s = settings_of(*hp);
  torch::set_num_threads(1);

  auto [x, y] = spirals(s);
  const auto n_val = static_cast<std::int64_t>(y.size(0) * s.validation_fraction);
  auto x_val = x.slice(0, 0, n_val), y_val = y.slice(0, 0, n_val);
  auto x_train = x.slice(0, n_val), y_train = y.slice(0, n_val);
  torch::manual_seed(s.seed);
  auto net = model_of(s);
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(s.lr)
                                                      .betas({s.betas.first, s.betas.second})
                                                      .weight_decay(s.weight_decay));

  int start = 0;
  fs::path last;
  for (const auto& entry : fs::directory_iterator(hp->log_dir())) {
    std::string name = entry.path().filename().string();
    if (name.rfind("checkpoint-epoch-", 0) == 0 && name.size() > 3 &&
        name.substr(name.size() - 3) == ".pt" && (last.empty() || entry.path() > last)) {
      last = entry.path();
    }
  }
  if (!last.empty()) {
    start = load(last, net, optimizer);
    std::cout << "Resuming from " << last.filename().string() << " (epoch " << start << " of "
              << s.epochs << ")\n";
  } else {
    std::int64_t parameters = 0;
    for (const auto& p : net->parameters()) parameters += p.numel();
    std::cout << parameters << " parameters; " << y_train.size(0) << " training and " << n_val
              << " validation points in " << s.classes << " classes\n";
  }
  if (start >= s.epochs) {
    std::cout << "Training is complete (" << s.epochs << " epochs)\n";
    return 0;
  }
  double validation = 0;
  for (int epoch = start; epoch < s.epochs; ++epoch) {
    const double lr = s.lr * factor(s, epoch);
    for (auto& group : optimizer.param_groups()) {
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    }
    // The epoch's order depends on the seed and the epoch only, so a resumed run continues
    // exactly as an uninterrupted one.
    torch::manual_seed(s.seed * 1000 + epoch);
    auto order = torch::randperm(y_train.size(0));
    net->train();
    double loss_sum = 0, correct = 0, total = 0;
    for (std::int64_t b = 0; b + s.batch_size <= y_train.size(0); b += s.batch_size) {
      auto batch = order.slice(0, b, b + s.batch_size);
      auto xb = x_train.index_select(0, batch), yb = y_train.index_select(0, batch);
      optimizer.zero_grad();
      auto logits = net->forward(xb);
      auto loss = torch::nn::functional::cross_entropy(logits, yb);
      loss.backward();
      optimizer.step();
      loss_sum += loss.item<double>() * s.batch_size;
      correct += (logits.argmax(1) == yb).sum().item<double>();
      total += s.batch_size;
    }
    net->eval();
    {
      torch::NoGradGuard no_grad;
      validation =
          (net->forward(x_val).argmax(1) == y_val).to(torch::kFloat64).mean().item<double>();
    }
    progress(epoch + 1, s.epochs, loss_sum / total, correct / total, validation, lr);
    if ((epoch + 1) % s.checkpoint_every == 0 || epoch + 1 == s.epochs) {
      save(checkpoint_name(hp->log_dir(), epoch + 1), net, optimizer, epoch + 1);
    }
    if (stop_after >= 0 && epoch + 1 >= stop_after) {
      std::cout << "Stopped after epoch " << epoch + 1 << " with a checkpoint\n";
      return 0;
    }
  }
  std::printf("Done: validation accuracy %.1f%% after %d epochs. Checkpoints in %s\n",
              100 * validation, s.epochs, hp->log_dir().string().c_str());
  return 0;
} catch (const hparams::Error& e) {
  if (const auto* list = dynamic_cast<const hparams::ErrorList*>(&e)) {
    std::cerr << list->reports();
  } else {
    std::cerr << e.what() << '\n';
  }
  return 1;
}
