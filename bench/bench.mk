# Benchmarks, not tests: `make bench` prints tables (see bench/README.md).
# Needs root (BPF_PROG_TEST_RUN).  BENCH_RUNS / BENCH_REPEAT / BENCH_CPU tune
# the per-path run; XDP_FILTER_OBJ points at xdp-filter's UDP object.

BENCH_BPF_OBJS := $(patsubst bench/%.bpf.c,$(BUILD)/bench/%.bpf.o,$(wildcard bench/*.bpf.c))
BENCH_PATH_BIN := $(BUILD)/bench/bench_path
BENCH_RUNS     ?= 7
BENCH_REPEAT   ?= 1000000
BENCH_CPU      ?= -2
# Debian ships xdp-filter's objects in libxdp1, next to the xdp-tools binary.
XDP_FILTER_OBJ ?= $(firstword $(shell dpkg -L libxdp1 xdp-tools 2>/dev/null | \
			grep -i 'xdpfilt_alw_udp\.o$$'))

$(BUILD)/bench/%.bpf.o: bench/%.bpf.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BENCH_PATH_BIN): bench/bench_path.c tests/support/pktbuild.h $(BUILD)/librtcguard.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/support -o $@ $< $(BUILD)/librtcguard.a $(LDLIBS)

bench: all $(BENCH_BPF_OBJS) $(BENCH_PATH_BIN)
	$(BENCH_PATH_BIN) --object $(BUILD)/rtcguard.bpf.o --floor-dir $(BUILD)/bench \
		--xdp-filter "$(XDP_FILTER_OBJ)" --runs $(BENCH_RUNS) --repeat $(BENCH_REPEAT) \
		--cpu $(BENCH_CPU)
