# The per-core benchmark harness, vale-bench (bench/vale_bench.c): the
# switch core and every lookup module measured the same way in one run,
# each module as a share of the learning bridge. Included by the top-level
# Makefile after vale/vale.mk and the lookup modules' .mk files (it links
# their sources: the l3 and of cases set up routes and flows directly).
#
#   make bench-l3      the learning bridge vs l3 (also bench-of, in their .mk)
#   make bench-hello   the example module, built as a shared object, vs the bridge
#   make check-bench   the harness runs and forwards (part of check-user)
#
# A module of one's own, built from its kernel module's source in user space:
#   cc -O3 -march=native -fPIC -shared -Iinclude -o mine.so mine.c
#   build/bin/vale-bench -m ./mine.so       (vale-bench --help: how it finds the ops)

programs: $(BIN)/vale-bench

BENCH_SRCS := bench/vale_bench.c bench/l3_cases.c bench/of_cases.c bench/senders.c
BENCH_HDRS := bench/bench.h bench/null_lookup.h $(VALE_HDRS) $(L3_HDRS) $(OF_HDRS)

# The fastest code the machine runs; the core's symbols exported
# (-rdynamic), so that a module loaded from a shared object links to them.
$(BIN)/vale-bench: $(BENCH_SRCS) $(BENCH_HDRS) $(VALE_SRCS) $(L3_SRCS) $(OF_SRCS)
	@mkdir -p $(@D)
	$(CC) $(VALE_CFLAGS) -O3 -march=native -rdynamic -o $@ $(BENCH_SRCS) $(VALE_SRCS) \
		$(L3_SRCS) $(OF_SRCS) -ldl

# examples/lookup-hello as a shared object for vale-bench -m.
$(UOBJ)/hello.so: examples/lookup-hello/hello.c $(wildcard examples/lookup-hello/*.h) $(VALE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O3 -march=native -fPIC -shared -o $@ $<

.PHONY: bench-hello check-bench
bench-hello: $(BIN)/vale-bench $(UOBJ)/hello.so
	$(BIN)/vale-bench -m $(UOBJ)/hello.so

# Runs the harness briefly: the shape of its output and that every case
# forwarded packets, never a rate.
check-bench: $(BIN)/vale-bench $(UOBJ)/hello.so
	$(PYTHON) bench/check-bench $(BIN)/vale-bench $(UOBJ)/hello.so

check-user: check-bench
