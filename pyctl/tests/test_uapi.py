"""vale.uapi against include/uapi/linux/vale.h (when the tree is at hand)."""
import os
import re

import pytest

from vale import uapi

HEADER = os.path.join(os.path.dirname(__file__), "..", "..", "include", "uapi", "linux", "vale.h")


@pytest.fixture(scope="module")
def header():
    if not os.path.exists(HEADER):
        pytest.skip("include/uapi/linux/vale.h is not here (an installed package)")
    with open(HEADER) as f:
        return f.read()


def enum(text, name):
    body = re.search(r"enum %s \{(.*?)\};" % name, text, re.S).group(1)
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    return [e.strip() for e in body.split(",") if e.strip() and not e.strip().startswith("__")]


def define(text, name):
    return re.search(r"#define %s\s+(\S+)" % name, text).group(1).strip('"')


def test_defines(header):
    assert define(header, "VALE_GENL_NAME") == uapi.GENL_NAME
    assert int(define(header, "VALE_GENL_VERSION")) == uapi.GENL_VERSION
    assert define(header, "VALE_MCGRP_EVENTS") == uapi.MCGRP_EVENTS
    assert int(define(header, "VALE_NAME_MAX")) == uapi.NAME_MAX


def test_limits(header):
    for name in ("MAX_RINGS", "MIN_SLOTS", "MAX_SLOTS"):
        assert int(define(header, "VALE_" + name)) == getattr(uapi, name)
    top = os.path.dirname(os.path.dirname(HEADER))
    for path, name, ours in (("../vale/lookup.h", "VALE_MAX_PORTS", uapi.MAX_PORTS),
                             ("../../vale/vale.h", "VALE_MAX_SWITCHES", uapi.MAX_SWITCHES)):
        with open(os.path.join(top, path)) as f:
            assert int(define(f.read(), name)) == ours, name


def test_enums(header):
    assert enum(header, "vale_cmd") == list(uapi.CMDS)
    assert enum(header, "vale_attr") == [a for a, _ in uapi.ATTRS]
    assert enum(header, "vale_stats_attr") == list(uapi.STATS)
    assert enum(header, "vale_learn_attr") == list(uapi.LEARN)
    for name, ours in (("vale_l3_op", uapi.L3_OPS), ("vale_l3_attr", uapi.L3_ATTRS),
                       ("vale_l3_stats", uapi.L3_STATS), ("vale_of_op", uapi.OF_OPS),
                       ("vale_of_attr", uapi.OF_ATTRS), ("vale_of_match", uapi.OF_MATCH),
                       ("vale_of_action", uapi.OF_ACTIONS), ("vale_of_stats", uapi.OF_STATS)):
        assert enum(header, name) == list(ours), name
    assert enum(header, "vale_schema_attr") == [a for a, _ in uapi.SCHEMA]
    assert enum(header, "vale_value_type") == list(uapi.VALUE_TYPES)
    kinds = enum(header, "vale_port_kind")
    assert [k[len("VALE_PORT_"):].lower() for k in kinds] == list(uapi.PORT_KINDS)


def test_schema_flags(header):
    for name in ("SETTING", "ACTION", "DUMP_ONLY"):
        assert int(define(header, "VALE_SCHEMA_F_" + name), 0) == \
            getattr(uapi, "SCHEMA_F_" + name)


def test_command_constants():
    for i, name in enumerate(uapi.CMDS[1:], 1):
        assert getattr(uapi, name[len("VALE_"):]) == i
