"""``make lab``: JupyterLab on the exercises, reachable from this machine only, with working widgets.

The test runs ``make lab`` itself (on a copy of ``exercises/``, so that nothing it does can write
to the repository's notebooks) with a known token and a free port, then checks through the
server's own API what a learner gets:

* the server listens on 127.0.0.1 only and answers nothing without the token;
* it serves JupyterLab on ``exercises/``, with the ipywidgets extension loaded;
* a kernel started for an exercise notebook runs its set-up cell and a widget cell (one of the
  book's widgets) through the REST and WebSocket API: the widget's model reaches the front end;
* in headless Chromium, JupyterLab opens the notebook, runs those cells and draws the widget;
  a FAIL message's link (the folder served is a checkout with a built book) opens the local page.

Kernels talk to the server over IPC, so the server's log has no "without encryption" notice.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from base64 import b64decode
from pathlib import Path

import pytest

from browser_support import SCREENSHOTS, Chromium, find_chromium

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "exercises/01-neuron.ipynb"
WIDGET_CELL = "import nnbook.widgets\nnb.widgets.neuron_playground()"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
START_TIMEOUT = 120.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, proc: subprocess.Popen, port: int, token: str, log: Path, folder: Path):
        self.proc, self.port, self.token, self.log, self.folder = proc, port, token, log, folder
        self.base = f"http://127.0.0.1:{port}"

    def request(self, method: str, path: str, body=None, token: bool = True):
        """(status, parsed JSON or text) of one request to the server."""
        headers = {"Authorization": f"token {self.token}"} if token else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                status, raw, kind = response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as err:
            status, raw, kind = err.code, err.read(), err.headers.get("Content-Type", "")
        text = raw.decode("utf-8", errors="replace")
        return status, (json.loads(text) if "json" in kind and text else text)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def lab():
    if shutil.which("make") is None:
        pytest.skip("`make` is not installed")
    # A short folder: IPC kernels put their sockets in the runtime folder, and a Unix socket's
    # path may not exceed about 100 characters.
    folder = Path(tempfile.mkdtemp(prefix="nnlab-"))
    repo = folder / "repo"
    repo.mkdir()
    shutil.copy2(ROOT / "Makefile", repo / "Makefile")
    shutil.copytree(ROOT / "exercises", repo / "exercises")
    # A checkout whose book has been built (as after `make book`): its FAIL messages link locally.
    for name in ("_toc.yml", "_config.yml"):
        shutil.copy2(ROOT / name, repo / name)
    (repo / "_build" / "html" / "book").mkdir(parents=True)
    (repo / "_build" / "html" / "index.html").write_text("<html><body>nnbook</body></html>")
    (repo / "_build" / "html" / "book" / "01-neuron.html").write_text(
        '<html><body><h1 id="ch01-worked-neuron">The neuron, built locally</h1></body></html>')
    port, token = _free_port(), secrets.token_hex(16)
    venv = Path(sys.prefix)  # the environment running the tests: .venv under `make test`
    log = folder / "lab.log"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    env.update(JUPYTER_RUNTIME_DIR=str(folder / "run"), JUPYTERLAB_WORKSPACES_DIR=str(folder / "workspaces"))
    lab_args = (f"--no-browser --port={port} --IdentityProvider.token={token} "
                "--LabApp.expose_app_in_browser=True")  # window.jupyterapp, for the browser test
    with open(log, "wb") as out:
        # -o: the environment is already installed (the Makefile would install it otherwise).
        proc = subprocess.Popen(
            ["make", "-C", str(repo), "-o", f"{venv}/.installed", "lab", f"VENV={venv}", f"LAB_ARGS={lab_args}"],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    server = Lab(proc, port, token, log, folder)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"`make lab` exited with {proc.returncode}:\n{server.log_text()[-3000:]}")
            try:
                if server.request("GET", "/api/status")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within {START_TIMEOUT:.0f} s:\n{server.log_text()[-3000:]}")
            time.sleep(0.5)
        yield server
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # make and the JupyterLab it started
            proc.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


def test_the_server_listens_on_localhost_with_a_token(lab):
    import psutil

    # The address printed for the learner: this machine only, on the exercises, with the token
    # (shown as "..." when it was given on the command line, as here).
    assert f"http://127.0.0.1:{lab.port}/lab/tree/exercises?token=" in lab.log_text()
    assert lab.request("GET", "/api/status", token=False)[0] == 403
    assert lab.request("GET", "/api/contents/exercises", token=False)[0] == 403
    listening = set()
    server = psutil.Process(lab.proc.pid)
    for process in [server, *server.children(recursive=True)]:
        try:
            connections = process.net_connections(kind="inet")
        except psutil.NoSuchProcess:
            if process is server:
                raise
            continue  # a child that ended since it was listed (a kernel's short-lived helper) listens on nothing
        listening |= {(c.laddr.ip, c.laddr.port) for c in connections if c.status == psutil.CONN_LISTEN}
    assert (("127.0.0.1", lab.port)) in listening
    assert {ip for ip, _ in listening} == {"127.0.0.1"}, listening


def test_jupyterlab_serves_the_exercises_with_the_widgets_extension(lab):
    status, listing = lab.request("GET", "/api/contents/exercises")
    assert status == 200
    served = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
    assert served == sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb")) and served
    status, page = lab.request("GET", f"/lab/tree/{NOTEBOOK}")
    assert status == 200
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                  page, flags=re.S).group(1))
    extensions = {ext["name"]: ext for ext in config["federated_extensions"]}
    assert "@jupyter-widgets/jupyterlab-manager" in extensions, sorted(extensions)
    widgets = extensions["@jupyter-widgets/jupyterlab-manager"]
    entry = f"{config['fullLabextensionsUrl']}/{widgets['name']}/{widgets['load']}"
    assert lab.request("GET", entry)[0] == 200, entry


def _execute(ws, session: str, code: str, timeout: float = 90.0) -> list[dict]:
    """Send one execute_request; return the IOPub messages it caused, up to the kernel's idle."""
    from jupyter_server.services.kernels.connection.base import deserialize_binary_message

    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                   "username": "test", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    messages, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        raw = ws.recv()
        msg = deserialize_binary_message(raw) if isinstance(raw, bytes) else json.loads(raw)
        if msg.get("channel") != "iopub" or msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return messages
    raise TimeoutError(f"no idle from the kernel within {timeout} s for {code!r}")


def test_a_kernel_runs_a_widget_cell_through_the_server(lab):
    import websocket

    status, session = lab.request("POST", "/api/sessions", {
        "path": NOTEBOOK, "type": "notebook", "name": Path(NOTEBOOK).name, "kernel": {"name": "python3"}})
    assert status == 201, session
    kernel = session["kernel"]["id"]
    try:
        # The kernel talks to the server over IPC (Unix sockets), not TCP ports.
        (connection,) = (lab.folder / "run").glob(f"kernel-{kernel}.json")
        assert json.loads(connection.read_text())["transport"] == "ipc"
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{lab.port}/api/kernels/{kernel}/channels?token={lab.token}", timeout=90)
        try:
            setup = "".join(json.loads((ROOT / NOTEBOOK).read_text(encoding="utf-8"))["cells"][1]["source"])
            assert "import nnbook" in setup
            ran = _execute(ws, uuid.uuid4().hex, setup + "\nimport os\nprint(os.getcwd())")
            errors = [m["content"] for m in ran if m["msg_type"] == "error"]
            assert not errors, errors
            printed = "".join(m["content"]["text"] for m in ran if m["msg_type"] == "stream")
            # The kernel runs in the notebook's folder (where the FAIL messages' links are worked out).
            assert printed.strip() == str((lab.folder / "repo" / "exercises").resolve())

            ran = _execute(ws, uuid.uuid4().hex, WIDGET_CELL)
            assert not [m["content"] for m in ran if m["msg_type"] == "error"]
            views = [m["content"]["data"][WIDGET_MIME] for m in ran
                     if m["msg_type"] in ("display_data", "execute_result") and WIDGET_MIME in m["content"]["data"]]
            assert len(views) == 1, [m["msg_type"] for m in ran]
            models = {m["content"]["comm_id"]: m["content"]["data"]["state"] for m in ran
                      if m["msg_type"] == "comm_open" and m["content"]["target_name"] == "jupyter.widget"}
            assert views[0]["model_id"] in models
            assert any(state.get("_model_name") in ("FloatSliderModel", "IntSliderModel", "SelectionSliderModel")
                       for state in models.values())
        finally:
            ws.close()
    finally:
        lab.request("DELETE", f"/api/sessions/{session['id']}")
    assert "without encryption" not in lab.log_text()


# Runs in JupyterLab's page: once the notebook is open with its kernel, run the set-up cell, add
# the widget cell under it and run that too.
RUN_CELLS_JS = r"""
(async () => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.context || panel.context.path !== %(path)s) return 'not open yet';
  await panel.context.ready;
  await panel.sessionContext.ready;
  if (!panel.sessionContext.session || !panel.sessionContext.session.kernel) return 'no kernel yet';
  const notebook = panel.content;
  notebook.activeCellIndex = 1;
  await app.commands.execute('notebook:run-cell');
  panel.model.sharedModel.insertCell(2, {cell_type: 'code', source: %(code)s});
  notebook.activeCellIndex = 2;
  await app.commands.execute('notebook:run-cell');
  return 'ran';
})()
"""

WIDGET_SHOWN_JS = r"""
(() => {
  const cell = window.jupyterapp.shell.currentWidget.content.widgets[2];
  const out = cell && cell.node.querySelector('.jp-OutputArea');
  if (!out) return {sliders: 0, text: ''};
  return {
    sliders: out.querySelectorAll('.widget-slider, .jupyter-widgets.widget-slider, input[type=range], .noUi-target').length,
    widgets: out.querySelectorAll('.jupyter-widgets').length,
    text: out.innerText.slice(0, 300),
  };
})()
"""


FAIL_CELL = 'check("01.1", lambda: -1.0)'

# Add and run a cell whose check fails; return its "Read the section" link as JupyterLab shows it,
# then click it.
RUN_FAIL_JS = r"""
(async () => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  panel.model.sharedModel.insertCell(3, {cell_type: 'code', source: %(code)s});
  panel.content.activeCellIndex = 3;
  await app.commands.execute('notebook:run-cell');
  for (let i = 0; i < 100; i++) {
    const a = panel.content.widgets[3].node.querySelector('.jp-OutputArea a');
    // JupyterLab resolves a relative link once it has rendered it (to the server's /files/ URL).
    if (a && a.href.includes('/files/')) {
      const found = {href: a.href, text: a.textContent};
      a.click();
      return found;
    }
    await new Promise(r => setTimeout(r, 200));
  }
  return null;
})()
"""

OPENED_JS = r"""
(() => {
  const w = window.jupyterapp.shell.currentWidget;
  return !!(w && w.context && w.context.path === '_build/html/book/01-neuron.html');
})()
"""


def test_the_widget_renders_in_jupyterlab_in_a_browser(lab):
    path = find_chromium()
    if path is None:
        pytest.skip("no Chromium to open JupyterLab (`make test` installs it where it can)")
    chrome = Chromium(path)
    try:
        target, session = chrome.open_page()
        chrome.call("Page.navigate", {"url": f"{lab.base}/lab/tree/{NOTEBOOK}?token={lab.token}"}, session=session)
        script = RUN_CELLS_JS % {"path": json.dumps(NOTEBOOK), "code": json.dumps(WIDGET_CELL)}
        deadline, state = time.monotonic() + 120, None
        while time.monotonic() < deadline:
            state = chrome.evaluate(session, f"(window.jupyterapp ? {script.strip()} : 'loading')", timeout=120)
            if state == "ran":
                break
            chrome.pump(0.5)
        assert state == "ran", f"JupyterLab did not open {NOTEBOOK} with a kernel: {state}"
        deadline, shown = time.monotonic() + 60, {}
        while time.monotonic() < deadline:
            shown = chrome.evaluate(session, WIDGET_SHOWN_JS)
            if shown["sliders"] > 0:
                break
            chrome.pump(0.5)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = chrome.call("Page.captureScreenshot", {"format": "png"}, session=session)
        (SCREENSHOTS / "lab-widget.png").write_bytes(b64decode(shot["data"]))
        assert shown["sliders"] > 0, f"no slider drawn in the widget cell's output: {shown}"
        assert "Error" not in shown["text"], shown["text"]

        # A FAIL message's link opens the locally built page inside JupyterLab.
        script = RUN_FAIL_JS % {"code": json.dumps(FAIL_CELL)}
        link = chrome.evaluate(session, script, timeout=120)
        assert link and "/files/_build/html/book/01-neuron.html" in link["href"], link
        opened = chrome.wait_until(session, OPENED_JS, timeout=30)
        chrome.pump(1.0)
        shot = chrome.call("Page.captureScreenshot", {"format": "png"}, session=session)
        (SCREENSHOTS / "lab-fail-link.png").write_bytes(b64decode(shot["data"]))
        assert opened, chrome.evaluate(session, "window.jupyterapp.shell.currentWidget.title.label")
        chrome.close_page(target)
    finally:
        chrome.close()
