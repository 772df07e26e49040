# Reform: the two commands of README.md, and what they stand on.
#   make        build build/reform
#   make run    install what is missing, build, serve the demo province on :8080
#   make test   install what is missing and run every test (see scripts/test.sh)
#   make lint   the checks of the C sources alone: scripts/checksrc.sh (STYLE's rules
#               a machine can hold), clang-format and cppcheck

BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
MAKEFLAGS += --no-print-directory

.PHONY: all build deps run test asan lint clean

all: build

build/CMakeCache.txt:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: build/CMakeCache.txt
	cmake --build build -j $(JOBS)

deps:
	scripts/deps.sh run

run: deps
	$(MAKE) build
	build/reform migrate
	build/reform serve --demo --listen 127.0.0.1:8080

test:
	scripts/test.sh

lint:
	scripts/checksrc.sh
	clang-format --dry-run -Werror src/*/*.c src/*/*.h tests/unit/*.c tests/store/*.c fuzz/*.c fuzz/*.h
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance --std=c11 -I src src fuzz

asan:
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRF_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)

clean:
	rm -rf build build-asan build-fuzz
