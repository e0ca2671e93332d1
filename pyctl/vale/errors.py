"""Errors: what the kernel refused, and what a topology file got wrong."""
import errno as _errno
import os


class ValeError(OSError):
    """The kernel refused a request.

    errno and strerror as OSError (strerror is the kernel's extended ack
    message when it gave one); extack is that message (None if none),
    attr the attribute it pointed at and missing the required attribute it
    did not find (uapi names, e.g. "VALE_ATTR_SWITCH_NAME"), op the request
    in words ("switch add vale0").  str(): "switch add vale0: switch exists
    (VALE_ATTR_SWITCH_NAME, EEXIST)".
    """

    def __init__(self, code, extack=None, attr=None, missing=None, op=None):
        if extack:
            text = extack
        elif missing:
            text = "missing attribute"
        else:
            text = os.strerror(code)
        super().__init__(code, text)
        self.extack = extack
        self.attr = attr
        self.missing = missing
        self.op = op

    @property
    def errname(self):
        if self.errno == _errno.EOPNOTSUPP:
            return "EOPNOTSUPP"     # the kernel's name; Python's table says ENOTSUP
        return _errno.errorcode.get(self.errno, str(self.errno))

    def __str__(self):
        detail = [self.missing or self.attr, self.errname]
        s = "%s (%s)" % (self.strerror, ", ".join(d for d in detail if d))
        return "%s: %s" % (self.op, s) if self.op else s


class ConfigError(ValeError):
    """A request pyctl refuses before sending it, from what the lookup
    module declares (its schema): a key it does not take, a value of the
    wrong type or out of range.  module and key name them (attr is the
    key too)."""

    def __init__(self, code, text, attr=None, op=None, module=None, key=None):
        super().__init__(code, text, attr=attr, op=op)
        self.module = module
        self.key = key


class TopologyError(ValueError):
    """A topology file that cannot be used: where, and what is wrong."""

    def __init__(self, where, message):
        super().__init__("%s: %s" % (where, message) if where else message)
        self.where = where
        self.message = message
