# The kernels of this repository's .venv (the Makefile copies this file to
# .venv/etc/ipython/, where IPython reads it when a kernel starts).
#
# jupyter-book and nbval start their kernels over TCP on 127.0.0.1, and ipykernel 7 then logs
# "Kernel is running over TCP without encryption" once per kernel: 51 lines of noise in a book
# build. Only the kernel application's own logger is quietened (errors still show); warnings
# raised by the code a notebook runs are not log records and still reach its output.
# `make lab` starts its kernels over IPC (Unix sockets) instead.
c = get_config()  # noqa: F821
c.IPKernelApp.log_level = "ERROR"
