# rtcguard — see README.md.  `make` builds into build/; `make test` runs every
# test (as root); `make bench` the benchmarks; `make demo` the built-in demo.

VERSION    ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
PREFIX     ?= /usr/local
BUILD      := build
CC         ?= gcc
CLANG      ?= clang
BPF_CFLAGS := -O2 -g -target bpf -Wall -Werror -I/usr/include/$(shell uname -m)-linux-gnu -Iinclude
CFLAGS     ?= -O2 -g
CFLAGS     += -Wall -Wextra -Werror -std=gnu11 -Iinclude -Ilib -Iloader -DRG_VERSION='"$(VERSION)"' \
	      -DRG_OBJECT_INSTALL_PATH='"$(PREFIX)/lib/rtcguard/rtcguard.bpf.o"'
LDLIBS     := -lbpf -lxdp -lpcap -ljson-c -lyaml -lmicrohttpd -lmnl -lelf -lz -lpthread

HEADERS    := $(wildcard include/rtcguard/*.h) $(wildcard lib/*.h) $(wildcard loader/*.h)
LIB_SRCS   := $(wildcard lib/*.c)
LIB_OBJS   := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS   := $(patsubst %.c,$(BUILD)/%.o,$(wildcard cli/*.c))
# The daemon's parts other than main, also linked into the unit tests and the CLI.
LOADER_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(filter-out loader/rtcguardd.c,$(wildcard loader/*.c)))

# `make V=1` shows the commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all clean test unit selftest fuzz bench demo install deps
all: $(BUILD)/rtcguard.bpf.o $(BUILD)/rtcguard $(BUILD)/rtcguardd $(BUILD)/rtcguard-flood \
	$(BUILD)/flood_tx.bpf.o

# On a fresh machine the first build installs what is missing (Debian
# packages) and mounts bpffs; afterwards the stamp skips the check.
$(BUILD)/.deps-ok: scripts/install-deps.sh | $(BUILD)
	bash scripts/install-deps.sh
	@touch $@

deps:
	bash scripts/install-deps.sh

$(BUILD)/rtcguard.bpf.o: bpf/rtcguard.bpf.c $(HEADERS) | $(BUILD)/.deps-ok
	@echo "  BPF     $@"
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# The traffic generator (bench/flood.c) and its XDP_TX program, used by the
# demo, the end-to-end tests and the bench.
$(BUILD)/flood_tx.bpf.o: bench/flood_tx.bpf.c | $(BUILD)/.deps-ok
	@echo "  BPF     $@"
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/rtcguard-flood: bench/flood.c tests/support/pktbuild.h $(BUILD)/librtcguard.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -Itests -o $@ $< $(BUILD)/librtcguard.a $(LDLIBS)

$(BUILD)/%.o: %.c $(HEADERS) | $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/librtcguard.a: $(LIB_OBJS)
	$(Q)ar rcs $@ $^

$(BUILD)/librgloader.a: $(LOADER_OBJS)
	$(Q)ar rcs $@ $^

$(BUILD)/rtcguard: $(CLI_OBJS) $(BUILD)/librgloader.a $(BUILD)/librtcguard.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/rtcguardd: $(BUILD)/loader/rtcguardd.o $(BUILD)/librgloader.a $(BUILD)/librtcguard.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD):
	mkdir -p $@

include tests/tests.mk selftests/selftests.mk bench/bench.mk

# Every test: unit (Criterion), BPF selftests and end-to-end runs, a short fuzz.
test: all unit fuzz selftest

# The main job on a built-in testbed: see scripts/demo.sh.
demo: all
	bash scripts/demo.sh

# Binaries, the object where rtcguardd finds it without flags, the unit, and
# the example config (an existing /etc/rtcguard/rtcguard.yaml is kept).
# PREFIX is compiled in: `make clean` before installing with another one.
install: all
	install -D -m 0755 $(BUILD)/rtcguard $(DESTDIR)$(PREFIX)/bin/rtcguard
	install -D -m 0755 $(BUILD)/rtcguardd $(DESTDIR)$(PREFIX)/sbin/rtcguardd
	install -D -m 0644 $(BUILD)/rtcguard.bpf.o $(DESTDIR)$(PREFIX)/lib/rtcguard/rtcguard.bpf.o
	@mkdir -p $(DESTDIR)/etc/systemd/system
	sed 's|/usr/local|$(PREFIX)|g' packaging/rtcguardd.service \
		>$(DESTDIR)/etc/systemd/system/rtcguardd.service
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/rtcguard/README.md
	install -D -m 0644 docs/config.md $(DESTDIR)$(PREFIX)/share/doc/rtcguard/config.md
	install -D -m 0644 docs/performance.md $(DESTDIR)$(PREFIX)/share/doc/rtcguard/performance.md
	@if [ -e $(DESTDIR)/etc/rtcguard/rtcguard.yaml ]; then \
		echo "  kept existing /etc/rtcguard/rtcguard.yaml"; \
	else install -D -m 0644 rtcguard.yaml $(DESTDIR)/etc/rtcguard/rtcguard.yaml; fi

clean:
	rm -rf $(BUILD)
