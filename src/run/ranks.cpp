// Where a process sits in a job, from the variables launchers set: PyTorch's (torchrun,
// torch.distributed), SLURM's, and OpenMPI's (mpirun, with PMIx).
#include <cerrno>
#include <cstdlib>
#include <initializer_list>

#include "hparams/run.hpp"

namespace hparams {
namespace {

// The first of `variables` that is set, as a non-negative integer.
std::optional<int> first_number(std::initializer_list<const char*> variables, const char* what) {
  for (const char* variable : variables) {
    const char* text = std::getenv(variable);
    if (text == nullptr || *text == '\0') continue;
    char* end = nullptr;
    errno = 0;
    long value = std::strtol(text, &end, 10);
    if (*end != '\0' || errno != 0 || value < 0 || value > 1'000'000'000) {
      std::string shown(std::string_view(text).substr(0, 40));
      throw Error(ErrorKind::ConfigError, std::string(variable) + "='" + shown + "' is not " +
                                              what + " (a non-negative integer)");
    }
    return static_cast<int>(value);
  }
  return std::nullopt;
}

std::string variable(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr) return {};
  std::string out(std::string_view(text).substr(0, 200));
  return out;
}

}  // namespace

std::optional<int> rank_from_environment() {
  return first_number({"RANK", "SLURM_PROCID", "OMPI_COMM_WORLD_RANK", "PMIX_RANK"},
                      "a process rank");
}

RankInfo rank_info_from_environment() {
  RankInfo info;
  info.rank = rank_from_environment();
  info.local_rank =
      first_number({"LOCAL_RANK", "SLURM_LOCALID", "OMPI_COMM_WORLD_LOCAL_RANK"}, "a local rank");
  info.node = first_number({"GROUP_RANK", "NODE_RANK", "SLURM_NODEID"}, "a machine index");
  info.world_size =
      first_number({"WORLD_SIZE", "SLURM_NTASKS", "OMPI_COMM_WORLD_SIZE"}, "a process count");
  if (std::string id = variable("HPARAMS_LAUNCH_ID"); !id.empty()) {
    info.launch_id = id;
  } else if (std::string job = variable("SLURM_JOB_ID"); !job.empty()) {
    std::string step = variable("SLURM_STEP_ID");
    info.launch_id = "slurm:" + job + (step.empty() ? "" : "." + step);
  } else if (std::string ompi = variable("OMPI_MCA_ess_base_jobid"); !ompi.empty()) {
    info.launch_id = "ompi:" + ompi;
  } else if (std::string pmix = variable("PMIX_NAMESPACE"); !pmix.empty()) {
    info.launch_id = "pmix:" + pmix;
  } else if (std::string torch = variable("TORCHELASTIC_RUN_ID");
             !torch.empty() && torch != "none") {
    // torchrun's default --rdzv-id is "none" for every launch: no use as an id.
    info.launch_id = "torch:" + torch;
  }
  return info;
}

}  // namespace hparams
