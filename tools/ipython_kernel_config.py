# The kernels of this repository's .venv (the Makefile copies this file to
# .venv/etc/ipython/, where IPython reads it when a kernel starts).
#
# 1. jupyter-book and nbval start their kernels over TCP on 127.0.0.1, and ipykernel 7 then logs
#    "Kernel is running over TCP without encryption" once per kernel: 51 lines of noise in a book
#    build. Only the kernel application's own logger is quietened (errors still show); warnings
#    raised by the code a notebook runs are not log records and still reach its output.
#    `make lab` starts its kernels over IPC (Unix sockets) instead.
#
# 2. ipykernel 7 closes its sockets from several threads when it shuts down. A message callback
#    that fires on one of them in that moment fails with ZMQError ENOTSOCK ("Socket operation on
#    non-socket"), and tornado prints "ERROR:tornado.general:Uncaught exception in ZMQStream
#    callback" and a traceback on the build's console (rare: seen once, in one book build of
#    51 notebooks). Every output and the shutdown reply have been sent by then. ipykernel swallows
#    the same race on its output socket itself (iostream.py, `_really_send`); this filter does
#    the same for the rest, and only for that error once shutdown has begun. The same error while
#    a notebook runs, and every other error, is still printed (tests/test_quiet_build.py).
import logging
import threading

import zmq

c = get_config()  # noqa: F821
c.IPKernelApp.log_level = "ERROR"


def shutting_down() -> bool:
    """True once the kernel has answered a shutdown request, or the interpreter is exiting."""
    if not threading.main_thread().is_alive():
        return True
    from ipykernel.kernelapp import IPKernelApp

    if not IPKernelApp.initialized():
        return False
    kernel = getattr(IPKernelApp.instance(), "kernel", None)
    return getattr(kernel, "_shutdown_message", None) is not None


class SocketClosedAtShutdown(logging.Filter):
    """Drop tornado's report of a callback that met a socket closed by the kernel's shutdown."""

    def __init__(self, shutting_down=shutting_down):
        super().__init__()
        self.shutting_down = shutting_down

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        closed_socket = isinstance(error, zmq.ZMQError) and error.errno == zmq.ENOTSOCK
        return not (closed_socket and self.shutting_down())


logging.getLogger("tornado.general").addFilter(SocketClosedAtShutdown())
