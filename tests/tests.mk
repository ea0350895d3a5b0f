# Unit tests (Criterion) of userspace code and of the host build of the
# packet path: every tests/test_*.c links into one runner.  And a short
# libFuzzer run of the host build (tests/fuzz/).

UNIT_SRCS := $(wildcard tests/test_*.c)
UNIT_BIN  := $(BUILD)/tests/unit
FUZZ_BIN  := $(BUILD)/tests/fuzz_judge
FUZZ_SECS ?= 10

$(UNIT_BIN): $(UNIT_SRCS) $(wildcard tests/*.h) $(BUILD)/librgloader.a $(BUILD)/librtcguard.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $(UNIT_SRCS) $(BUILD)/librgloader.a $(BUILD)/librtcguard.a \
		-lcriterion $(LDLIBS)

unit: $(UNIT_BIN)
	$(UNIT_BIN) --jobs 2

# libFuzzer needs clang; ASan and UBSan make an out-of-bounds read fatal.
$(FUZZ_BIN): tests/fuzz/fuzz_judge.c lib/policy.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Iinclude -Ilib -o $@ tests/fuzz/fuzz_judge.c lib/policy.c

# A crash fails the target and prints the fuzzer's report; crash inputs land in build/tests/.
fuzz: $(FUZZ_BIN)
	@mkdir -p $(BUILD)/tests/fuzz-corpus
	@$(FUZZ_BIN) -max_total_time=$(FUZZ_SECS) -max_len=4096 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/tests/ $(BUILD)/tests/fuzz-corpus tests/fuzz/seeds \
		>$(BUILD)/tests/fuzz.log 2>&1; rc=$$?; tail -n 8 $(BUILD)/tests/fuzz.log; \
		if [ $$rc -ne 0 ]; then tail -n 60 $(BUILD)/tests/fuzz.log; exit 1; fi
