# ofswitch (the "of" lookup module) in user space, on the core's user-space
# build (vale/vale.mk): its unit tests (as is and under ASan/UBSan), its
# packet parser's fuzzer and the replay of the committed corpus, and its
# benchmark (vale-bench -m of, built by bench/bench.mk). Included by the
# top-level Makefile after vale/vale.mk.
#
#   make check-of    unit tests + corpus replay (part of check-user)
#   make fuzz-of     libFuzzer (clang) on the parser for OF_FUZZ_SECS seconds
#   make bench-of    learning bridge vs ofswitch, 10/1,000/10,000 flows, EMC on/off

OF_DIR    := lookup-modules/ofswitch
OF_SRCS   := $(addprefix $(OF_DIR)/,of.c cls.c table.c parse.c)
OF_HDRS   := $(wildcard $(OF_DIR)/*.h) $(VALE_HDRS)
OF_CORPUS := $(OF_DIR)/corpus
OF_FUZZ_SECS ?= 60
OF_FUZZ_CC ?= clang
OF_FUZZ_FLAGS := -g -O1 -std=gnu11 -Wall -Wextra -Werror -I$(TOP)/include -pthread \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(UOBJ)/test_of: $(OF_DIR)/test_of.c $(OF_SRCS) $(VALE_SRCS) $(OF_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VALE_CFLAGS) -o $@ $(OF_DIR)/test_of.c $(OF_SRCS) $(VALE_SRCS)

$(UOBJ)/test_of-asan: $(OF_DIR)/test_of.c $(OF_SRCS) $(VALE_SRCS) $(OF_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VALE_CFLAGS) $(ASAN) -o $@ $(OF_DIR)/test_of.c $(OF_SRCS) $(VALE_SRCS)

# The fuzz target run once over each file of the committed corpus, with
# gcc's sanitizers (no clang needed): cheap enough for every check.
$(UOBJ)/fuzz_of-replay: $(OF_DIR)/fuzz_of.c $(OF_SRCS) $(VALE_SRCS) $(OF_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VALE_CFLAGS) $(ASAN) -DOF_FUZZ_REPLAY -o $@ $(OF_DIR)/fuzz_of.c $(OF_SRCS) \
		$(VALE_SRCS)

$(UOBJ)/fuzz_of: $(OF_DIR)/fuzz_of.c $(OF_SRCS) $(VALE_SRCS) $(OF_HDRS)
	@mkdir -p $(@D)
	$(OF_FUZZ_CC) $(OF_FUZZ_FLAGS) -o $@ $(OF_DIR)/fuzz_of.c $(OF_SRCS) $(VALE_SRCS)

.PHONY: check-of fuzz-of bench-of
check-of: $(UOBJ)/test_of $(UOBJ)/test_of-asan $(UOBJ)/fuzz_of-replay
	$(UOBJ)/test_of
	$(UOBJ)/test_of-asan
	$(UOBJ)/fuzz_of-replay $(OF_CORPUS)/*

# New inputs go to build/fuzz-of/ (the committed corpus is only read);
# crashes are written there too, as crash-<sha1>.
fuzz-of: $(UOBJ)/fuzz_of
	@mkdir -p $(BUILD)/fuzz-of
	$(UOBJ)/fuzz_of -max_total_time=$(OF_FUZZ_SECS) -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz-of/ $(BUILD)/fuzz-of $(OF_CORPUS)

# The harness is bench/bench.mk's (vale-bench -m of: bench/of_cases.c).
bench-of: $(BIN)/vale-bench
	@mkdir -p $(BUILD)/bench
	$(BIN)/vale-bench -m of -j $(BUILD)/bench/of.jsonl

check-user: check-of
