# Benchmarks, not tests: `make bench` prints tables (see bench/README.md).
bench: all
	@echo "no benchmarks yet"
