# valectl (valectl/): the control tool on the "vale" generic netlink family,
# and its command line unit test (no kernel needed), plain and under
# ASan/UBSan. Included by the top-level Makefile.

VALECTL_LIB_SRCS := valectl/parse.c valectl/compat.c valectl/nl.c valectl/json.c \
	valectl/output.c valectl/switch.c valectl/port.c valectl/if.c \
	valectl/lookup.c valectl/fdb.c valectl/monitor.c valectl/text.c valectl/route.c \
	valectl/flow.c valectl/flow_show.c valectl/flow_filter.c valectl/portname.c \
	valectl/schema.c
VALECTL_SRCS := valectl/valectl.c $(VALECTL_LIB_SRCS)
VALECTL_HDRS := $(wildcard valectl/*.h) include/uapi/linux/vale.h
VALECTL_CFLAGS := $(CFLAGS) -I$(TOP)/include/uapi $(shell pkg-config --cflags libmnl 2>/dev/null)
VALECTL_LIBS := $(or $(shell pkg-config --libs libmnl 2>/dev/null),-lmnl)
VALECTL_TEST := valectl/test_parse.c valectl/test_output.c valectl/test_route_flow.c \
	valectl/test_port_names.c valectl/test_schema.c \
	$(VALECTL_LIB_SRCS)
VALECTL_TEST_CFLAGS := $(VALECTL_CFLAGS) -I$(TOP)/tests/user -DVALECTL_MAN='"$(TOP)/valectl/valectl.8"'

programs: $(BIN)/valectl

$(BIN)/valectl: $(VALECTL_SRCS) $(VALECTL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(VALECTL_CFLAGS) -o $@ $(VALECTL_SRCS) $(VALECTL_LIBS)

$(UOBJ)/test_valectl_parse: $(VALECTL_TEST) $(VALECTL_HDRS) tests/user/check.h
	@mkdir -p $(@D)
	$(CC) $(VALECTL_TEST_CFLAGS) -o $@ $(VALECTL_TEST) $(VALECTL_LIBS)

$(UOBJ)/test_valectl_parse-asan: $(VALECTL_TEST) $(VALECTL_HDRS) tests/user/check.h
	@mkdir -p $(@D)
	$(CC) $(VALECTL_TEST_CFLAGS) $(ASAN) -o $@ $(VALECTL_TEST) $(VALECTL_LIBS)

.PHONY: check-valectl
check-valectl: $(UOBJ)/test_valectl_parse $(UOBJ)/test_valectl_parse-asan
	$(UOBJ)/test_valectl_parse
	$(UOBJ)/test_valectl_parse-asan

check-user: check-valectl
