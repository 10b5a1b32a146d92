// The README's quick start: a training program configured by hparams.cfg.
// [example]
#include <hparams/hparams.hpp>
#include <iostream>

int main(int argc, char** argv) {
  // Reads ./hparams.cfg (every value evaluated now), saves the run on its first launch and
  // resumes it on later ones; `section.key=value` arguments are overrides.
  auto hp = hparams::HParams::create(".", argc, argv);

  auto widths = hp->get<std::vector<int>>("model.widths");
  auto kernel = hp->get<std::pair<int, int>>("model.kernel");
  double lr = hp->get<double>("optimizer.lr");
  auto schedule = hp->get<std::vector<std::pair<int, double>>>("optimizer.schedule");
  std::string optimizer = hp->get<std::string>("optimizer.kind");

  std::cout << "run " << hp->run_name() << ": " << widths.size() << " layers of " << kernel.first
            << "x" << kernel.second << ", " << optimizer << " at lr " << lr << ", "
            << schedule.size() << " steps in the schedule\n";
  std::cout << "checkpoints go to " << hp->log_dir().string() << "\n";
}
// [end example]
