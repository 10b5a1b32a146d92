# The two commands of the README, and the checks CI runs.
#   make run    builds and runs the main job (the example program on its shipped input)
#   make test   builds and runs the whole test suite
# Both install what is missing on a Debian 12 machine first (root or sudo).

BUILD        ?= build
BUILD_ASAN   ?= build-asan
BUILD_FUZZ   ?= build-fuzz
BUILD_BENCH  ?= build-bench
JOBS         ?= 2
CMAKE_FLAGS  ?=

DEBIAN_PACKAGES := cmake g++ make pkg-config libgmp-dev libgtest-dev libgmock-dev \
                   libbenchmark-dev libcli11-dev nlohmann-json3-dev clang-format-14 \
                   libcurl4-openssl-dev libssl-dev openssl python3 s3cmd
FUZZ_PACKAGES   := clang-14 libclang-rt-14-dev

SOURCES = $(shell git ls-files '*.cpp' '*.hpp' 2>/dev/null || find src include tools tests fuzz bench examples -name '*.[ch]pp')

.PHONY: all deps deps-npm deps-fuzz configure build run test sanitize format format-check fuzz bench clean

all: build

deps:
	@./tools/install-deps.sh $(DEBIAN_PACKAGES)

# The backup tests' real servers and clients (s3rver, @google-cloud/storage, the SigV4 suite).
deps-npm:
	@command -v npm >/dev/null || ./tools/install-deps.sh nodejs npm
	@if [ ! -d tests/backup/node_modules ] || [ tests/backup/package.json -nt tests/backup/node_modules ]; then \
	  cd tests/backup && npm install --no-audit --no-fund --loglevel=error && touch node_modules; fi

deps-fuzz:
	@./tools/install-deps.sh $(FUZZ_PACKAGES)

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/examples/train examples

test: build deps-npm
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

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
	cmake --build $(BUILD_FUZZ) -j $(JOBS) --target fuzz_eval fuzz_config

bench: deps
	@./tools/install-deps.sh libinih-dev libtomlplusplus-dev libbenchmark-dev
	cmake -S . -B $(BUILD_BENCH) -DCMAKE_BUILD_TYPE=Release -DHPARAMS_BUILD_BENCH=ON \
	  -DHPARAMS_BUILD_TESTS=OFF
	cmake --build $(BUILD_BENCH) -j $(JOBS) --target bench_eval bench_load
	./$(BUILD_BENCH)/bench/bench_eval
	./$(BUILD_BENCH)/bench/bench_load

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ) $(BUILD_BENCH)
