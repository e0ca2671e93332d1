# The l3 router in user space, on the core's user-space build (vale/vale.mk):
# its unit tests (as is and under ASan/UBSan), its packet parser's fuzzer
# and the replay of the fuzzer's committed corpus, and its benchmark
# (vale-bench -m l3, built by bench/bench.mk).
# Included by the top-level Makefile after vale/vale.mk.
#
#   make check-l3    unit tests + corpus replay (part of check-user)
#   make fuzz-l3     libFuzzer (clang) on the parser for L3_FUZZ_SECS seconds
#   make bench-l3    learning bridge vs l3 with 10, 10,000, 100,000 routes

L3_DIR    := lookup-modules/l3
L3_SRCS   := $(addprefix $(L3_DIR)/,l3.c fwd.c lpm4.c lpm6.c table.c)
L3_HDRS   := $(wildcard $(L3_DIR)/*.h) $(VALE_HDRS) include/uapi/linux/vale.h
L3_TESTS  := $(addprefix $(L3_DIR)/,test_l3.c test_lpm.c)
L3_CORPUS := $(L3_DIR)/corpus
L3_FUZZ_SECS ?= 60
FUZZ_CC   ?= clang
FUZZ_FLAGS := -g -O1 -std=gnu11 -Wall -Wextra -Werror -I$(TOP)/include -pthread \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(UOBJ)/test_l3: $(L3_TESTS) $(L3_SRCS) $(VALE_SRCS) $(L3_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VALE_CFLAGS) -o $@ $(L3_TESTS) $(L3_SRCS) $(VALE_SRCS)

$(UOBJ)/test_l3-asan: $(L3_TESTS) $(L3_SRCS) $(VALE_SRCS) $(L3_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VALE_CFLAGS) $(ASAN) -o $@ $(L3_TESTS) $(L3_SRCS) $(VALE_SRCS)

# The fuzz target run once over each file of the committed corpus, with
# gcc's sanitizers (no clang needed): cheap enough for every check.
$(UOBJ)/fuzz_l3-replay: $(L3_DIR)/fuzz_l3.c $(L3_SRCS) vale/os_user.c $(L3_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VALE_CFLAGS) $(ASAN) -DL3_FUZZ_REPLAY -o $@ $(L3_DIR)/fuzz_l3.c $(L3_SRCS) \
		vale/os_user.c

$(UOBJ)/fuzz_l3: $(L3_DIR)/fuzz_l3.c $(L3_SRCS) vale/os_user.c $(L3_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(L3_DIR)/fuzz_l3.c $(L3_SRCS) vale/os_user.c

.PHONY: check-l3 fuzz-l3 bench-l3
check-l3: $(UOBJ)/test_l3 $(UOBJ)/test_l3-asan $(UOBJ)/fuzz_l3-replay
	$(UOBJ)/test_l3
	$(UOBJ)/test_l3-asan
	$(UOBJ)/fuzz_l3-replay $(L3_CORPUS)/*

# New inputs go to build/fuzz-l3/ (the committed corpus is only read);
# crashes are written there too, as crash-<sha1>.
fuzz-l3: $(UOBJ)/fuzz_l3
	@mkdir -p $(BUILD)/fuzz-l3
	$(UOBJ)/fuzz_l3 -max_total_time=$(L3_FUZZ_SECS) -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz-l3/ $(BUILD)/fuzz-l3 $(L3_CORPUS)

# The harness is bench/bench.mk's (vale-bench -m l3: bench/l3_cases.c).
bench-l3: $(BIN)/vale-bench
	@mkdir -p $(BUILD)/bench
	$(BIN)/vale-bench -m l3 -j $(BUILD)/bench/l3.jsonl

check-user: check-l3
