# rolo: `make run` and `make test` do all the set-up on a fresh Debian/Ubuntu machine.

CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Where rustup puts cargo when `make` had to install it.
export PATH := $(HOME)/.cargo/bin:$(PATH)

# System packages: Tesseract and Leptonica (OCR), clang (bindgen), the OCR languages,
# tmux (end-to-end tests drive the real binary in it), sqlite3 (benchmark baseline).
OCR_LANGUAGES := eng deu fra spa nld swe dan nor ita por
PACKAGES := build-essential pkg-config clang libclang-dev libtesseract-dev libleptonica-dev \
	tesseract-ocr $(addprefix tesseract-ocr-,$(OCR_LANGUAGES)) tmux sqlite3 ca-certificates curl

.PHONY: all deps packages rust build run test check fmt-check clippy unit bench clean

all: build

## Install missing system packages (apt-get) and a Rust toolchain if there is none.
deps: packages rust

packages:
	@missing=$$(for package in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'install ok installed' || echo $$package; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

rust: packages
	@command -v $(CARGO) >/dev/null 2>&1 || { \
		echo "No cargo found: installing Rust with rustup"; \
		curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component rustfmt,clippy; \
	}

build: deps
	$(CARGO) build --release --locked

## Start the TUI on the default database (in the user's data directory).
run: build
	./target/release/rolo

## The whole suite: format check, clippy with warnings as errors, every test.
test: deps check

check: fmt-check clippy unit

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --locked --all-targets -- -D warnings

unit:
	$(CARGO) test --locked --all-targets

## Benchmarks (release mode); results are recorded in BENCHMARKS.md.
bench: deps
	$(CARGO) bench --locked

clean:
	$(CARGO) clean
