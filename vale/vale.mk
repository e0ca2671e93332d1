# The switch core and the lookup modules built as a user-space library
# (build/user/libvale.a, and an ASan/UBSan flavour), with their unit tests
# (the per-core benchmark, vale-bench, is bench/bench.mk's). Included by the
# top-level Makefile.

VALE_SRCS := vale/forward.c vale/switch.c vale/lookup.c vale/lookup_schema.c vale/os_user.c \
	vale/user/uport.c lookup-modules/learn/learn.c
VALE_HDRS := $(wildcard vale/*.h vale/user/*.h include/vale/*.h include/net/*.h \
	lookup-modules/*/*.h)
VALE_CFLAGS := $(CFLAGS) -pthread

# The core's unit tests (tests/user/NAME.c), each also under ASan/UBSan.
VALE_TESTS := $(addprefix $(UOBJ)/,test_vale test_hdr_copy test_lookup_schema)

$(VALE_TESTS): $(UOBJ)/%: tests/user/%.c $(VALE_SRCS) $(VALE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VALE_CFLAGS) -o $@ $< $(VALE_SRCS)

$(addsuffix -asan,$(VALE_TESTS)): $(UOBJ)/%-asan: tests/user/%.c $(VALE_SRCS) $(VALE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VALE_CFLAGS) $(ASAN) -o $@ $< $(VALE_SRCS)

.PHONY: check-vale
check-vale: $(VALE_TESTS) $(addsuffix -asan,$(VALE_TESTS))
	set -e; for t in $^; do $$t; done
