# Tests of the real BPF object (as root): every selftests/test_*.c is a
# program that loads build/rtcguard.bpf.o unpinned and runs packets through
# BPF_PROG_TEST_RUN; every selftests/test_*.sh is a shell test.  Each prints
# what it expected and what it got, and exits non-zero on failure.

SELFTEST_SRCS := $(wildcard selftests/test_*.c)
SELFTEST_BINS := $(SELFTEST_SRCS:selftests/%.c=$(BUILD)/selftests/%)
SELFTEST_SH   := $(wildcard selftests/test_*.sh)

$(BUILD)/selftests/%: selftests/%.c $(wildcard selftests/*.h) $(BUILD)/librgloader.a $(BUILD)/librtcguard.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Iselftests -Itests -o $@ $< $(BUILD)/librgloader.a $(BUILD)/librtcguard.a $(LDLIBS)

selftest: all $(SELFTEST_BINS) $(UNIT_BIN)
	@fail=0; for t in $(SELFTEST_BINS) $(SELFTEST_SH); do \
		echo "== $$t"; \
		if [ "$${t##*.}" = sh ]; then bash $$t || fail=$$((fail+1)); \
		else $$t || fail=$$((fail+1)); fi; \
	done; \
	total=$$(echo $(SELFTEST_BINS) $(SELFTEST_SH) | wc -w); \
	echo "selftests: $$((total-fail)) passed, $$fail failed"; [ $$fail -eq 0 ]
