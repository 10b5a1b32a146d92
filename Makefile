# The two commands of the README, and the checks CI runs.
#   make run    builds and runs the main job (the example program on its shipped input)
#   make test   builds and runs the whole test suite
# Both install what is missing on a Debian 12 machine first (root or sudo).

BUILD        ?= build
BUILD_ASAN   ?= build-asan
BUILD_FUZZ   ?= build-fuzz
BUILD_BENCH  ?= build-bench
BUILD_RUN    ?= build-run
JOBS         ?= 2
CMAKE_FLAGS  ?=

# What `make run` needs: the library and the example trainer, nothing else.
RUN_PACKAGES    := cmake g++ make libgmp-dev nlohmann-json3-dev
DEBIAN_PACKAGES := cmake g++ make pkg-config libgmp-dev libgtest-dev libgmock-dev \
                   libbenchmark-dev libcli11-dev nlohmann-json3-dev clang-format-14 \
                   libcurl4-openssl-dev libssl-dev openssl python3 s3cmd
# The Python package: built with Debian's python3 into a venv (no package index needed).
PYTHON_PACKAGES := python3 python3-dev python3-venv python3-setuptools python3-pybind11 \
                   pybind11-dev python3-pytest
# Real launchers and frameworks for the tests and examples: mpirun, PyTorch, libtorch.
LAUNCH_PACKAGES := openmpi-bin python3-torch libtorch-dev
PYTHON       ?= /usr/bin/python3
VENV         ?= $(BUILD)/venv
# The original library's source, for the differential test (skipped when absent).
HPARAMS_ORIGINAL ?= $(abspath ../shared/seed/original)
FUZZ_PACKAGES   := clang-14 libclang-rt-14-dev

SOURCES = $(shell git ls-files '*.cpp' '*.hpp' 2>/dev/null || find src include tools tests fuzz bench examples -name '*.[ch]pp')

.PHONY: all deps deps-run deps-npm deps-fuzz deps-python deps-launch configure build python python-test run test \
        sanitize format format-check fuzz bench bench-startup bench-python clean

all: build

deps:
	@./tools/install-deps.sh $(DEBIAN_PACKAGES)

deps-run:
	@./tools/install-deps.sh $(RUN_PACKAGES)

# The backup tests' real servers and clients (s3rver, @google-cloud/storage, the SigV4 suite).
deps-npm:
	@command -v npm >/dev/null || ./tools/install-deps.sh nodejs npm
	@if [ ! -d tests/backup/node_modules ] || [ tests/backup/package.json -nt tests/backup/node_modules ]; then \
	  cd tests/backup && npm install --no-audit --no-fund --loglevel=error && touch node_modules; fi

deps-fuzz:
	@./tools/install-deps.sh $(FUZZ_PACKAGES)

deps-python:
	@./tools/install-deps.sh $(PYTHON_PACKAGES)

deps-launch:
	@./tools/install-deps.sh $(LAUNCH_PACKAGES)

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The main job: the example trainer on its shipped config, from a build of just the library and
# the trainer (no tests, command-line tool or backup component, so no test or network packages).
run: deps-run
	cmake -S . -B $(BUILD_RUN) -DCMAKE_BUILD_TYPE=Release -DHPARAMS_BUILD_TESTS=OFF \
	  -DHPARAMS_BUILD_TOOLS=OFF -DHPARAMS_BUILD_BACKUP=OFF -DHPARAMS_INSTALL=OFF \
	  -DHPARAMS_BUILD_TORCH_EXAMPLE=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD_RUN) -j $(JOBS) --target train
	./$(BUILD_RUN)/examples/train examples

# The package installed as a user installs it (README: Python), reusing this build tree.
python: build deps-python
	@[ -x $(VENV)/bin/python ] || $(PYTHON) -m venv --system-site-packages $(VENV)
	HPARAMS_CMAKE_BUILD_DIR=$(abspath $(BUILD)) HPARAMS_BUILD_JOBS=$(JOBS) \
	  $(VENV)/bin/pip install --no-build-isolation --no-deps -q .

python-test: python
	HPARAMS_ORIGINAL=$(HPARAMS_ORIGINAL) $(VENV)/bin/python -m pytest -p no:cacheprovider -q python/tests

test: build deps-npm deps-launch python
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) --no-print-directory python-test

sanitize: deps deps-npm
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DHPARAMS_SANITIZE=ON \
	  -DHPARAMS_BUILD_FUZZ=ON -DHPARAMS_CONSUMER_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

format:
	clang-format-14 -i $(SOURCES)

format-check: deps
	clang-format-14 --dry-run --Werror $(SOURCES)

fuzz: deps deps-fuzz
	CXX=clang++-14 cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DHPARAMS_BUILD_FUZZ=ON -DHPARAMS_SANITIZE=ON -DHPARAMS_BUILD_TESTS=OFF
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzz_eval fuzz_config fuzz_structured

bench: deps
	@./tools/install-deps.sh libinih-dev libtomlplusplus-dev libbenchmark-dev
	cmake -S . -B $(BUILD_BENCH) -DCMAKE_BUILD_TYPE=Release -DHPARAMS_BUILD_BENCH=ON \
	  -DHPARAMS_BUILD_TESTS=OFF
	cmake --build $(BUILD_BENCH) -j $(JOBS) --target bench_eval bench_load
	./$(BUILD_BENCH)/bench/bench_eval
	./$(BUILD_BENCH)/bench/bench_load

# Whole-process startup against an inih program (hyperfine).
bench-startup: deps
	@./tools/install-deps.sh libinih-dev libtomlplusplus-dev libbenchmark-dev hyperfine
	cmake -S . -B $(BUILD_BENCH) -DCMAKE_BUILD_TYPE=Release -DHPARAMS_BUILD_BENCH=ON \
	  -DHPARAMS_BUILD_TESTS=OFF
	cmake --build $(BUILD_BENCH) -j $(JOBS) --target hparams_cli inih_check
	./bench/startup.sh $(BUILD_BENCH)

# The Python package against the original library (import, resume + to_dict).
bench-python: python
	$(VENV)/bin/python bench/python_bench.py --original $(HPARAMS_ORIGINAL)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ) $(BUILD_BENCH)
