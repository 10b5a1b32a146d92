// The comparison program of bench/startup.sh: a whole process that reads a .cfg file with inih
// (Debian's libinih) and reports whether it parsed, as `hparams check` does for its files.
#include <ini.h>

#include <cstdio>

namespace {
int count_entry(void* user, const char* /*section*/, const char* /*name*/, const char* /*value*/) {
  ++*static_cast<long*>(user);
  return 1;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: inih_check FILE\n");
    return 2;
  }
  long entries = 0;
  int line = ini_parse(argv[1], count_entry, &entries);
  if (line != 0) {
    std::fprintf(stderr, "%s: error at line %d\n", argv[1], line);
    return 1;
  }
  std::printf("%s: %ld entries\n", argv[1], entries);
  return 0;
}
