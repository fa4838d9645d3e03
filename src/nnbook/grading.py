"""Grade submitted exercise notebooks: ``nnbook grade PATH... [--csv out.csv]``.

Each submission is copied into a fresh temporary directory and run there, cell by cell, in a
fresh Jupyter kernel (this environment's Python) with a time limit for the whole notebook and
a memory limit (``RLIMIT_AS``) on the kernel process. Then every question of the chapter is
checked, and the result is one row: points per question, total, and a status that says what
went wrong (a cell that raised, the time limit, a kernel that died, a file that is not a
notebook). A bad submission never stops the batch, and no submission's row depends on another.

Threat model
------------
The learner controls everything in the notebook and everything that runs in its kernel: the
cells' code, what they print, the ``check`` and ``score`` functions, the ``nnbook`` and
``nnbook.checks`` modules as loaded in the kernel (they can be monkeypatched), NumPy, and any
file the kernel can write (e.g. a fake ``NNBOOK_RESULTS`` file). None of that is trusted:

* The grader ignores every output of the notebook and every file it writes. It never runs the
  notebook's ``check(...)``/``score(...)`` cells, and reads no results file.
* The checkers run in the grader's own process (imported before any submission runs, never
  touched by a kernel). Each ``check("05.3", EXPR)`` cell of the submission only names the
  answer: the grader evaluates ``EXPR`` in the kernel once, and the checker receives a proxy.
  Calling the proxy sends the checker's fresh random inputs to the kernel (pickled: data goes
  from trusted to untrusted only), runs the learner's function there, and brings back its
  value. So whatever the kernel does to itself, what reaches the checker is the answer's value
  for inputs the kernel has not seen before, compared with a reference computed outside it.
* Values coming back from the kernel are decoded with a restricted unpickler that builds only
  plain data: Python's basic types, NumPy arrays, scalars and dtypes, and the classes of the
  ``nnbook`` library (their state, never their code). Anything else (functions, the learner's
  own classes) stays in the kernel and is reached through a proxy. The NumPy error state and
  the warning filters active around a call are applied in the kernel for that call, and the
  learner's exceptions come back by builtin type, so checkers behave as in the notebook.
  Callables the checker passes to the answer (``grad_f``) stay in the grader: the kernel calls
  them back over the stdin channel.
* The questions graded are all those registered for the chapter (from the file name's
  ``NN-`` prefix and the ids of its check cells); a question without a check cell scores 0.
  The random inputs come from a fresh generator seeded by the operating system.

What a checker sees is a proxy, not the learner's function object: it can call it, read its
attributes and iterate what it returns (a generator's items arrive as a list), and the
answer's in-place changes to array, list, dict and library-object arguments are copied back;
but ``isinstance`` on the answer itself or ``inspect.getsource`` do not work through it.
``tests/test_grading.py`` grades every solution notebook to make sure each chapter's checkers
work this way, and tries each attack above.

Out of scope: the kernel runs as the same user as the grader, so hostile code could write
anywhere that user can, kill the grader, or read its files. The grader contains accidents (the
kernel's working directory, ``HOME``, ``IPYTHONDIR``, ``MPLCONFIGDIR`` are in the temporary
directory; file sizes are limited; the whole process group is killed at the end) but it is not
a sandbox: for untrusted submissions, run it as an unprivileged user in a container or VM,
and do not let that user write to the installed ``nnbook`` package. A learner's function may
also call ``nnbook`` itself to compute its answer: the checks compare values, so chapters that
forbid that say so in the question and rely on the learner's honesty, as in the notebook.
"""

from __future__ import annotations

import ast
import base64
import builtins
import csv
import importlib
import io
import multiprocessing
import os
import pickle
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import types
import warnings
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .checks import _core

DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_MB = 2048
DEFAULT_JOBS = 2
_MAX_REPLY = 64 * 1024 * 1024  # bytes of one encoded value from the kernel
_MAX_FILE = 256 * 1024 * 1024  # RLIMIT_FSIZE of the kernel
_REF, _BACK = "__nnbook_ref__", "__nnbook_back__"
_PROMPT = "\x00nnbook-callback "

# Run in the kernel before the ipykernel starts: the memory and file-size limits.
_LAUNCHER = """\
import resource, sys
memory, fsize = int(sys.argv[1]), int(sys.argv[2])
try:
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
except (ValueError, OSError) as exc:  # e.g. macOS has no RLIMIT_AS
    print("nnbook grade: could not set the kernel's limits:", exc, file=sys.stderr)
sys.argv = [sys.argv[0]] + sys.argv[3:]
from ipykernel.kernelapp import launch_new_instance
launch_new_instance()
"""

# Defined in the kernel after the learner's cells. It runs in the untrusted kernel: the grader
# treats everything it sends back as untrusted data.
_HELPER = r'''
def __nnbook_grade_helper():
    import base64, builtins, pickle, types, warnings
    import numpy as np
    import functools
    kernel = get_ipython().kernel
    table = {}
    code_like = (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType, functools.partial)

    def keep(obj):
        key = len(table) + 1
        table[key] = obj
        return ("__nnbook_ref__", key)

    def encode(value):
        if isinstance(value, types.GeneratorType) or type(value) in (map, filter, zip, enumerate, reversed):
            value = list(value)  # an iterator's items, not the iterator
        if type(value) in (list, tuple):
            return type(value)(encode(v) for v in value)
        if type(value) is dict:
            return {k: encode(v) for k, v in value.items()}
        if isinstance(value, code_like) or getattr(type(value), "__module__", "") == "__main__":
            return keep(value)  # functions, classes and the learner's own objects stay here
        try:
            pickle.dumps(value, protocol=4)
        except Exception:
            return keep(value)
        return value

    class Back:
        """An object that stays in the grader (e.g. the grad_f a checker passes)."""
        __slots__ = ("_key",)

        def __init__(self, key):
            object.__setattr__(self, "_key", key)

        def __call__(self, *args, **kwargs):
            return request(self._key, "call", None, args, kwargs)

        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            return request(self._key, "getattr", name, (), {})

    def decode(value):
        if type(value) is tuple and len(value) == 2 and type(value[0]) is str and value[0] == "__nnbook_back__":
            return Back(value[1])
        if type(value) is tuple and len(value) == 2 and type(value[0]) is str and value[0] == "__nnbook_ref__":
            return table[value[1]]
        if type(value) in (list, tuple):
            return type(value)(decode(v) for v in value)
        if type(value) is dict:
            return {k: decode(v) for k, v in value.items()}
        return value

    def raise_named(name, message):
        exc = getattr(builtins, name, None)
        if not (isinstance(exc, type) and issubclass(exc, Exception)):
            exc = RuntimeError
        raise exc(message)

    def request(key, op, name, args, kwargs):
        payload = (key, op, name, encode(tuple(args)), encode(dict(kwargs)))
        reply = kernel.raw_input("\x00nnbook-callback " + base64.b64encode(pickle.dumps(payload, 4)).decode())
        status, value = pickle.loads(base64.b64decode(reply))
        if status == "ok":
            return decode(value)
        raise_named(*value)

    def bind(qid, make):
        table[qid] = make()
        return "bound"

    def call(key, op, name, payload, errstate, filters):
        args, kwargs = pickle.loads(base64.b64decode(payload))
        args, kwargs = decode(args), decode(kwargs)
        try:
            with warnings.catch_warnings(), np.errstate(**errstate):
                warnings.resetwarnings()
                for action, message, category, module, lineno in reversed(filters):
                    category = getattr(builtins, category, Warning)
                    warnings.filterwarnings(action, message, category, module, lineno)
                value = table[key](*args, **kwargs) if op == "call" else getattr(table[key], name)
            out = ("ok", encode(value), encode(args), encode(kwargs))
        except BaseException as exc:
            out = ("raise", type(exc).__name__, str(exc)[:2000])
        return base64.b64encode(pickle.dumps(out, 4)).decode()

    return types.SimpleNamespace(bind=bind, call=call)

__nnbook_grade__ = __nnbook_grade_helper()
del __nnbook_grade_helper
'''


# --------------------------------------------------------------------------------------------
# Decoding what the kernel sends: plain data only


def _safe_globals() -> dict:
    allowed = {("builtins", n): getattr(builtins, n) for n in (
        "list", "tuple", "dict", "set", "frozenset", "str", "bytes", "bytearray", "int", "float",
        "complex", "bool", "slice", "range", "object")}
    allowed[("copyreg", "_reconstructor")] = __import__("copyreg")._reconstructor
    allowed[("numpy", "ndarray")] = np.ndarray
    allowed[("numpy", "dtype")] = np.dtype
    for mod in ("numpy.core.multiarray", "numpy._core.multiarray"):
        for name in ("_reconstruct", "scalar"):
            allowed[(mod, name)] = _numpy_attr(name)
    return allowed


def _numpy_attr(name):
    try:
        from numpy._core import multiarray  # NumPy 2
    except ImportError:  # pragma: no cover - NumPy 1
        from numpy.core import multiarray
    return getattr(multiarray, name)


class _SafeUnpickler(pickle.Unpickler):
    _allowed = None

    def find_class(self, module, name):
        if _SafeUnpickler._allowed is None:
            _SafeUnpickler._allowed = _safe_globals()
        if (module, name) in self._allowed:
            return self._allowed[(module, name)]
        if module in ("numpy.random._pickle", "numpy.random.bit_generator") and name in _RANDOM_CTORS:
            return getattr(importlib.import_module(module), name)
        if module.startswith("numpy.random.") and module.count(".") == 2:
            obj = getattr(sys.modules.get(module), name, None)
            if isinstance(obj, type) and issubclass(obj, (np.random.BitGenerator, np.random.SeedSequence)):
                return obj
        if module == "numpy.dtypes" or _library_module(module):
            obj = vars(sys.modules[module]).get(name) if module in sys.modules else None
            if isinstance(obj, type) and obj.__module__ == module:
                return obj
        raise pickle.UnpicklingError(f"the answer's value contains {module}.{name}, which the grader does not accept")


def _library_module(module: str) -> bool:
    """The library's own modules (layers, losses, networks, …), whose objects may be answers."""
    parts = module.split(".")
    return len(parts) == 2 and parts[0] == "nnbook" and parts[1] not in ("grading", "cli", "checks", "widgets", "plots")

# NumPy's random generators rebuild themselves from a bit generator's name and state only.
_RANDOM_CTORS = ("__generator_ctor", "__bit_generator_ctor", "__randomstate_ctor", "__pyx_unpickle_SeedSequence")


def _loads(data: bytes):
    return _SafeUnpickler(io.BytesIO(data)).load()


# --------------------------------------------------------------------------------------------
# The kernel


class KernelDied(RuntimeError):
    pass


class TimeLimit(RuntimeError):
    pass


@dataclass
class _Outcome:
    status: str  # "ok", "error", "timeout", "dead"
    ename: str = ""
    evalue: str = ""
    reply: dict = field(default_factory=dict)


class _Kernel:
    """A kernel in ``workdir`` with limits; runs code and answers its callback requests."""

    def __init__(self, workdir: Path, memory_mb: float):
        from jupyter_client import KernelManager

        memory = int(memory_mb * 1024 * 1024) if memory_mb else 0
        launcher = [sys.executable, "-c", _LAUNCHER, str(memory), str(_MAX_FILE)]

        class Manager(KernelManager):
            def format_kernel_cmd(self, extra_arguments=None):
                return launcher + ["-f", os.path.realpath(self.connection_file)]

        env = {k: v for k, v in os.environ.items() if not k.startswith(("NNBOOK_", "JPY_", "JUPYTER_"))}
        env.update(HOME=str(workdir), IPYTHONDIR=str(workdir / ".ipython"), MPLCONFIGDIR=str(workdir / ".matplotlib"),
                   XDG_CACHE_HOME=str(workdir / ".cache"), XDG_CONFIG_HOME=str(workdir / ".config"),
                   JUPYTER_RUNTIME_DIR=str(workdir / ".runtime"), MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1",
                   OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", TQDM_DISABLE="1",
                   PYDEVD_DISABLE_FILE_VALIDATION="1")
        self.km = Manager(kernel_name="python3")
        self.km.connection_file = str(workdir / ".kernel.json")
        self.kc = None
        self.backs: dict[int, object] = {}
        self.dead = False
        self.timed_out = False
        try:
            self.km.start_kernel(cwd=str(workdir), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.kc = self.km.client()
            self.kc.start_channels()
            self.kc.wait_for_ready(timeout=60)
        except BaseException:
            self.shutdown()
            raise

    def alive(self) -> bool:
        if self.dead:
            return False
        if not self.km.is_alive():
            self.dead = True
        return not self.dead

    def exit_code(self):
        proc = getattr(self.km.provisioner, "process", None)
        return getattr(proc, "returncode", None) if proc is not None else None

    def _drain_iopub(self):
        while True:  # outputs are never used: drop them (a flood of prints costs nothing)
            try:
                self.kc.get_iopub_msg(timeout=0)
            except queue.Empty:
                return

    def execute(self, code: str, deadline: float, user_expressions=None, allow_stdin=False) -> _Outcome:
        if self.timed_out:
            return _Outcome("timeout")
        if not self.alive():
            return _Outcome("dead")
        msg_id = self.kc.execute(code, silent=False, store_history=True, user_expressions=user_expressions or {},
                                 allow_stdin=allow_stdin, stop_on_error=False)
        checked = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= deadline:
                self._interrupt()
                self.timed_out = True
                return _Outcome("timeout")
            try:
                msg = self.kc.get_shell_msg(timeout=min(0.005 if allow_stdin else 0.05, deadline - now))
            except queue.Empty:
                self._drain_iopub()
                if allow_stdin:
                    self._serve_stdin()
                if now - checked > 0.5:
                    checked = now
                    if not self.alive():
                        return _Outcome("dead")
                continue
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            self._drain_iopub()
            content = msg["content"]
            if content.get("status") == "ok":
                return _Outcome("ok", reply=content)
            return _Outcome("error", content.get("ename", "Error"), content.get("evalue", ""), content)

    def _interrupt(self):
        try:
            self.km.interrupt_kernel()
        except Exception:
            pass

    def _serve_stdin(self):
        """Answer the kernel's callback requests (a checker's function called by the answer)."""
        while True:
            try:
                msg = self.kc.get_stdin_msg(timeout=0)
            except queue.Empty:
                return
            if msg["header"]["msg_type"] != "input_request":
                continue
            prompt = str(msg["content"].get("prompt", ""))
            try:
                if not prompt.startswith(_PROMPT) or len(prompt) > _MAX_REPLY:
                    raise ValueError("unexpected input request")
                key, op, name, args, kwargs = _loads(base64.b64decode(prompt[len(_PROMPT):]))
                target = self.backs[key]
                args, kwargs = _from_kernel(self, args), _from_kernel(self, kwargs)
                value = target(*args, **kwargs) if op == "call" else getattr(target, str(name))
                reply = ("ok", _to_kernel(self, value))
            except Exception as exc:
                reply = ("raise", (type(exc).__name__, str(exc)[:2000]))
            try:
                data = pickle.dumps(reply, protocol=4)
            except Exception as exc:
                data = pickle.dumps(("raise", ("TypeError", f"cannot send {exc}")), protocol=4)
            self.kc.input(base64.b64encode(data).decode())

    def shutdown(self):
        pid = None
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        if proc is not None:
            pid = proc.pid
        try:
            if self.kc is not None:
                self.kc.stop_channels()
        except Exception:
            pass
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:
            pass
        if pid is not None:  # the kernel ran in its own session: take its children with it
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                pass


class _Remote:
    """The checker's view of the learner's answer (or of something it returned): a proxy."""

    def __init__(self, kernel: _Kernel, key, deadline: float, label: str):
        self._kernel, self._key, self._deadline, self._label = kernel, key, deadline, label

    def _request(self, op, name, args, kwargs):
        kernel = self._kernel
        err = np.geterr()
        filters = [(a, _pattern(m), c.__name__, _pattern(mod), int(n))
                   for a, m, c, mod, n in warnings.filters if getattr(builtins, c.__name__, None) is c]
        payload = base64.b64encode(pickle.dumps((_to_kernel(kernel, tuple(args)), _to_kernel(kernel, dict(kwargs))),
                                                protocol=4)).decode()
        expr = f"__nnbook_grade__.call({self._key!r}, {op!r}, {name!r}, {payload!r}, {err!r}, {filters!r})"
        out = kernel.execute("", self._deadline, user_expressions={"r": expr}, allow_stdin=True)
        if out.status == "timeout":
            raise TimeLimit("the time limit was reached while checking this answer")
        if out.status == "dead":
            raise KernelDied("the kernel died while checking this answer")
        result = out.reply.get("user_expressions", {}).get("r", {})
        if out.status != "ok" or result.get("status") != "ok":
            raise RuntimeError(f"the answer could not be called ({result.get('ename', out.ename)}: "
                               f"{result.get('evalue', out.evalue)})")
        text = result.get("data", {}).get("text/plain", "")
        if len(text) > _MAX_REPLY:
            raise MemoryError("the answer's value is too large to check")
        if not re.fullmatch(r"'[A-Za-z0-9+/=]*'", text):
            raise RuntimeError("the answer's value could not be read (the kernel sent something else)")
        try:
            decoded = _loads(base64.b64decode(text[1:-1], validate=True))
        except pickle.UnpicklingError:
            raise
        except Exception as exc:
            raise RuntimeError(f"the answer's value could not be read ({type(exc).__name__})") from None
        if not (isinstance(decoded, tuple) and decoded and decoded[0] in ("ok", "raise")):
            raise RuntimeError("the answer's value could not be read")
        if decoded[0] == "raise":
            _raise_named(decoded[1], decoded[2])
        _, value, args_after, kwargs_after = decoded
        for original, after in zip(args, args_after if isinstance(args_after, tuple) else ()):
            _restore(original, after)
        for key, original in kwargs.items():
            if isinstance(kwargs_after, dict) and key in kwargs_after:
                _restore(original, kwargs_after[key])
        return _from_kernel(kernel, value, self._deadline)

    def __call__(self, *args, **kwargs):
        return self._request("call", None, args, kwargs)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._request("getattr", name, (), {})

    def __repr__(self):
        return f"<the submission's {self._label}>"


def _pattern(p) -> str:
    return p.pattern if hasattr(p, "pattern") else (p or "")


def _raise_named(name, message):
    exc = getattr(builtins, str(name), None)
    if not (isinstance(exc, type) and issubclass(exc, Exception)) or exc in (KeyboardInterrupt,):
        exc = RuntimeError
        message = f"{name}: {message}"
    raise exc(str(message))


_CALLABLE = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.LambdaType)


def _to_kernel(kernel: _Kernel, value):
    """Encode what the checker passes: data by value; functions and unpicklable objects stay here."""
    if isinstance(value, _Remote):
        return (_REF, value._key)
    if type(value) in (list, tuple):
        return type(value)(_to_kernel(kernel, v) for v in value)
    if type(value) is dict:
        return {k: _to_kernel(kernel, v) for k, v in value.items()}
    if not isinstance(value, _CALLABLE) and not isinstance(value, np.ufunc):
        try:
            pickle.dumps(value, protocol=4)
            return value
        except Exception:
            pass
    key = len(kernel.backs) + 1
    kernel.backs[key] = value
    return (_BACK, key)


def _marked(value, marker: str) -> bool:
    return type(value) is tuple and len(value) == 2 and type(value[0]) is str and value[0] == marker


def _from_kernel(kernel: _Kernel, value, deadline: float | None = None):
    """Turn the kernel's references into proxies (decoded values are plain data already)."""
    if _marked(value, _REF) and isinstance(value[1], (int, str)):
        return _Remote(kernel, value[1], deadline if deadline is not None else time.monotonic() + 60, "object")
    if _marked(value, _BACK) and isinstance(value[1], int) and value[1] in kernel.backs:
        return kernel.backs[value[1]]
    if type(value) in (list, tuple):
        return type(value)(_from_kernel(kernel, v, deadline) for v in value)
    if type(value) is dict:
        return {k: _from_kernel(kernel, v, deadline) for k, v in value.items()}
    return value


def _restore(original, after):
    """Carry the answer's in-place changes of an argument back to the checker's object."""
    if isinstance(original, np.random.Generator):
        if isinstance(after, np.random.Generator) and type(after.bit_generator) is type(original.bit_generator):
            original.bit_generator.state = after.bit_generator.state
    elif isinstance(original, np.ndarray):
        if isinstance(after, np.ndarray) and after.shape == original.shape and original.flags.writeable:
            try:
                original[...] = after
            except (TypeError, ValueError):
                pass
    elif type(original) is list and type(after) is list:
        for i, (o, a) in enumerate(zip(original, after)):
            if isinstance(o, (np.ndarray, list, dict, tuple)) or hasattr(o, "__dict__"):
                _restore(o, a)
            else:
                original[i] = a
        del original[len(after):]
        original.extend(after[len(original):])
    elif type(original) is tuple and type(after) is tuple:
        for o, a in zip(original, after):
            _restore(o, a)
    elif type(original) is dict and type(after) is dict:
        for k, a in after.items():
            if k in original and (isinstance(original[k], (np.ndarray, list, dict, tuple))
                                  or hasattr(original[k], "__dict__")):
                _restore(original[k], a)
            else:
                original[k] = a
    elif hasattr(original, "__dict__") and type(after) is type(original) and not isinstance(original, type):
        for k, a in vars(after).items():
            o = original.__dict__.get(k)
            if isinstance(o, (np.ndarray, list, dict, tuple)):
                _restore(o, a)
            else:
                original.__dict__[k] = a


# --------------------------------------------------------------------------------------------
# Reading a submission


def _python(source: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def _parse(source: str):
    try:
        return ast.parse(_python(source))
    except (SyntaxError, ValueError, RecursionError):
        return None


def _is_feedback_cell(tree) -> bool:
    """A cell that only calls ``check(...)`` / ``score(...)``: the grader does that itself."""
    if tree is None or not tree.body:
        return False
    return all(isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Name)
               and s.value.func.id in ("check", "score") for s in tree.body)


def answer_expressions(nb) -> dict[str, str]:
    """``{qid: source of the answer}`` from the notebook's ``check("NN.k", answer)`` calls."""
    found = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = _python(cell.source) if isinstance(cell.source, str) else ""
        tree = _parse(cell.source)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "check"):
                continue
            args = list(node.args) + [k.value for k in node.keywords if k.arg in ("qid", "answer")]
            if len(args) >= 2 and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                expr = ast.get_source_segment(source, args[1])
                if expr:
                    found[args[0].value] = expr
    return found


# --------------------------------------------------------------------------------------------
# Grading


@dataclass
class Row:
    """One submission's grade."""

    submission: str
    points: dict = field(default_factory=dict)  # qid -> points
    max_points: dict = field(default_factory=dict)  # qid -> max points
    messages: dict = field(default_factory=dict)  # qid -> why it failed
    status: str = "ok"
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.points.values())

    @property
    def max_total(self) -> int:
        return sum(self.max_points.values())


def _short(text: str, n: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def grade_notebook(path, *, timeout: float = DEFAULT_TIMEOUT, memory_mb: float = DEFAULT_MEMORY_MB,
                   label: str | None = None) -> Row:
    """Grade one submitted notebook; never raises for anything the submission does."""
    import nbformat

    path = Path(path)
    row = Row(label or str(path))
    start = time.monotonic()
    chapter = path.name[:2] if path.name[:2].isdigit() and path.name[2:3] == "-" else None
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:
        _zero(row, _chapter_questions({chapter} if chapter else set()), "not graded")
        row.status = f"not a valid notebook: {_short(type(exc).__name__ + ': ' + str(exc), 120)}"
        return row
    answers = answer_expressions(nb)
    chapters = {q.split(".")[0] for q in answers if _known(q)} | ({chapter} if chapter else set())
    qids = _chapter_questions(chapters)
    if not qids:
        row.status = "no question of a known chapter (no check(...) cell, no NN- prefix in the file name)"
        return row
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nnbook-grade-") as tmp:
        workdir = Path(tmp)
        shutil.copyfile(path, workdir / "submission.ipynb")
        try:
            kernel = _Kernel(workdir, memory_mb)
        except Exception as exc:
            _zero(row, qids, "not graded")
            row.status = f"the kernel did not start: {_short(exc)}"
            return row
        try:
            deadline = time.monotonic() + timeout
            _run_cells(kernel, nb, deadline, timeout, notes)
            if kernel.alive() and not kernel.timed_out:
                out = kernel.execute(_HELPER, deadline)
                if out.status == "error":
                    notes.append(f"the grader could not set up ({out.ename}: {_short(out.evalue)})")
            for qid in qids:
                _grade_question(kernel, row, qid, answers.get(qid), deadline)
            if kernel.timed_out and not any("time limit" in n for n in notes):
                notes.append(f"time limit of {timeout:g} s reached while checking")
            if kernel.dead and not any("kernel died" in n for n in notes):
                notes.append(f"the kernel died while checking{_exit_text(kernel)}")
        finally:
            kernel.shutdown()
    row.status = "; ".join(notes) if notes else "ok"
    row.seconds = time.monotonic() - start
    return row


def _known(qid: str) -> bool:
    try:
        _core.get_question(qid)
        return True
    except (KeyError, TypeError, ValueError):
        return False


def _chapter_questions(chapters) -> list[str]:
    return [q for ch in sorted(chapters) for q in _core.questions(ch)]


def _zero(row: Row, qids, message: str):
    for qid in qids:
        q = _core.get_question(qid)
        row.points[qid], row.max_points[qid], row.messages[qid] = 0, q.points, message


def _exit_text(kernel: _Kernel) -> str:
    code = kernel.exit_code()
    return f" (exit code {code})" if code is not None else ""


def _run_cells(kernel: _Kernel, nb, deadline: float, timeout: float, notes: list[str]):
    errors = 0
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code" or _is_feedback_cell(_parse(cell.source)):
            continue
        out = kernel.execute(cell.source, deadline)
        if out.status == "error":
            errors += 1
            if errors <= 3:
                notes.append(f"cell {index} raised {out.ename}: {_short(out.evalue, 100)}")
            elif errors == 4:
                notes.append("more cells raised")
        elif out.status == "timeout":
            notes.append(f"time limit of {timeout:g} s reached in cell {index}")
            return
        elif out.status == "dead":
            notes.append(f"the kernel died in cell {index}{_exit_text(kernel)}")
            return


def _grade_question(kernel: _Kernel, row: Row, qid: str, expr: str | None, deadline: float):
    q = _core.get_question(qid)
    row.max_points[qid] = q.points
    row.points[qid] = 0
    if expr is None:
        row.messages[qid] = f'no check("{qid}", ...) cell'
        return
    if kernel.timed_out or not kernel.alive():
        row.messages[qid] = "not checked (time limit)" if kernel.timed_out else "not checked (the kernel died)"
        return
    out = kernel.execute("", deadline, user_expressions={
        "r": f"__nnbook_grade__.bind({qid!r}, lambda: ({expr}\n))"})
    result = out.reply.get("user_expressions", {}).get("r", {}) if out.status == "ok" else {}
    if result.get("status") != "ok":
        row.messages[qid] = (f"the answer `{_short(expr, 40)}` could not be evaluated: "
                             f"{result.get('ename', out.ename or out.status)}: {_short(result.get('evalue', out.evalue), 80)}")
        return
    proxy = _Remote(kernel, qid, deadline, _short(expr, 40))
    result = _core.run_checker(q, proxy, np.random.default_rng())
    if kernel.timed_out or kernel.dead:  # whatever the checker concluded, the answer did not finish
        row.messages[qid] = "the time limit was reached" if kernel.timed_out else "the kernel died"
        return
    row.points[qid] = result.points if result.status == "passed" else 0
    if result.status != "passed":
        row.messages[qid] = result.message or result.status


# --------------------------------------------------------------------------------------------
# A batch


def find_notebooks(paths) -> list[Path]:
    """The ``.ipynb`` files named, and those under the directories named (sorted)."""
    found = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*.ipynb") if ".ipynb_checkpoints" not in f.parts))
        elif p.exists():
            found.append(p)
        else:
            raise FileNotFoundError(f"no such file or directory: {p}")
    return found


def _load_checks(extra_checks) -> None:
    import importlib.util

    _core.load_all()
    for i, path in enumerate(extra_checks or ()):
        spec = importlib.util.spec_from_file_location(f"_nnbook_extra_checks_{i}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


def _worker_init(extra_checks):
    warnings.simplefilter("ignore", DeprecationWarning)
    _load_checks(extra_checks)


def _grade_in_worker(path, label, timeout, memory_mb):
    try:
        return grade_notebook(path, timeout=timeout, memory_mb=memory_mb, label=label)
    except Exception as exc:  # a bug in the grader: this row says so, the batch goes on
        return Row(label, status=f"grader error: {type(exc).__name__}: {_short(exc)}")


def grade(paths, *, jobs: int = DEFAULT_JOBS, timeout: float = DEFAULT_TIMEOUT,
          memory_mb: float = DEFAULT_MEMORY_MB, extra_checks=(), progress: bool = True) -> list[Row]:
    """Grade every notebook in ``paths`` (files or directories), ``jobs`` at a time."""
    if not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"expected jobs to be a positive integer, got {jobs!r}")
    if not timeout or timeout <= 0:
        raise ValueError(f"expected a positive time limit in seconds, got {timeout!r}")
    if memory_mb is not None and memory_mb < 0:
        raise ValueError(f"expected a memory limit in MB (0 for none), got {memory_mb!r}")
    notebooks = find_notebooks(paths)
    labels = [str(p) for p in notebooks]
    _load_checks(extra_checks)
    from tqdm.auto import tqdm

    bar = tqdm(total=len(notebooks), desc="grading", unit="notebook", disable=not progress, file=sys.stderr)
    rows: dict[int, Row] = {}
    if jobs == 1 or len(notebooks) <= 1:
        for i, (path, label) in enumerate(zip(notebooks, labels)):
            rows[i] = _grade_in_worker(path, label, timeout, memory_mb)
            bar.update()
    else:
        ctx = multiprocessing.get_context("spawn")
        extra = [str(Path(p).resolve()) for p in extra_checks or ()]
        with ProcessPoolExecutor(max_workers=min(jobs, len(notebooks)), mp_context=ctx,
                                 initializer=_worker_init, initargs=(extra,)) as pool:
            pending = {pool.submit(_grade_in_worker, str(p), label, timeout, memory_mb): i
                       for i, (p, label) in enumerate(zip(notebooks, labels))}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    i = pending.pop(future)
                    try:
                        rows[i] = future.result()
                    except Exception as exc:
                        rows[i] = Row(labels[i], status=f"grader error: {type(exc).__name__}: {_short(exc)}")
                    bar.update()
    bar.close()
    return [rows[i] for i in range(len(notebooks))]


def columns(rows) -> list[str]:
    """Every question id in the rows, in order."""
    ids = {q for r in rows for q in r.max_points}
    return sorted(ids, key=lambda q: tuple(int(p) for p in q.split(".")))


def write_csv(rows, path) -> None:
    """The gradebook: submission, each question's points, total, status."""
    ids = columns(rows)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["submission", *ids, "total", "status"])
        for r in rows:
            writer.writerow([r.submission, *(r.points.get(q, "") for q in ids), r.total, r.status])


def format_table(rows, details: bool = False) -> str:
    """A plain-text table for the terminal (with each failed question's reason if ``details``)."""
    ids = columns(rows)
    maxima = {}
    for r in rows:
        maxima.update(r.max_points)
    head = ["submission", *ids, "total", "status"]
    top = ["(max)", *(str(maxima[q]) for q in ids), str(sum(maxima.values())), ""]
    body = [[r.submission, *(str(r.points[q]) if q in r.points else "-" for q in ids), str(r.total), r.status]
            for r in rows]
    table = [head, top, *body]
    widths = [max(len(row[i]) for row in table) for i in range(len(head) - 1)]
    lines = []
    for k, row in enumerate(table):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:-1], widths[1:])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
        if k == 1:
            lines.append("  ".join("-" * w for w in widths) + "  ------")
    if details:
        for r in rows:
            for q in ids:
                if q in r.messages:
                    lines.append(f"{r.submission}  {q}: {_short(r.messages[q], 200)}")
    return "\n".join(lines)
