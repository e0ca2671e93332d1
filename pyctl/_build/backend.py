"""The build backend: setuptools' own, from Debian's python3-setuptools
(and python3-wheel).

pip builds in an isolated environment that hides the system's packages and
would download setuptools and wheel into it; offline that fails.  This
finds the system's instead, and asks pip for no build dependency that is
importable from there, so that `pip install ./pyctl` works with no network.
"""
import importlib.util
import os
import re
import sys

try:
    import setuptools  # noqa: F401 (already importable: nothing to do)
except ImportError:
    for _d in (os.path.join(sys.base_prefix, "lib", "python3", "dist-packages"),
               os.path.join(sys.base_prefix, "lib", "python%d.%d" % sys.version_info[:2],
                            "site-packages")):
        if os.path.isdir(os.path.join(_d, "setuptools")):
            sys.path.append(_d)
            break

from setuptools import build_meta as _setuptools  # noqa: E402
from setuptools.build_meta import *  # noqa: E402,F401,F403


def _missing(requirements):
    """The requirements that are not importable here."""
    return [r for r in requirements
            if importlib.util.find_spec(re.split(r"[\s<>=!~;\[]", r, 1)[0]) is None]


def get_requires_for_build_wheel(config_settings=None):
    return _missing(_setuptools.get_requires_for_build_wheel(config_settings))


def get_requires_for_build_sdist(config_settings=None):
    return _missing(_setuptools.get_requires_for_build_sdist(config_settings))


def get_requires_for_build_editable(config_settings=None):
    return _missing(_setuptools.get_requires_for_build_editable(config_settings))
