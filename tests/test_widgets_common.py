"""The shared widget mechanism: controls over chosen values, precomputed states, small figures."""

import base64
import re

import pytest

pytest.importorskip("ipywidgets")
import ipywidgets as w  # noqa: E402

from nnbook.widgets import _common as c  # noqa: E402


def _png_in(html):
    return base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1))


def test_figure_to_png_is_a_small_palette_png():
    from PIL import Image
    import io

    fig = c.new_figure((6, 4))
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [0, 1, 4])
    png = c.figure_to_png(fig)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "P"
    assert image.size == (6 * c.DPI, 4 * c.DPI)
    assert len(png) < 20_000


def test_image_html_carries_alt_text_and_the_png():
    fig = c.new_figure()
    fig.add_subplot().plot([0, 1], [1, 0])
    html = c.figure_html(fig, 'a line falling from 1 to 0 "quoted"')
    assert 'alt="a line falling from 1 to 0 &quot;quoted&quot;"' in html
    assert _png_in(html)[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("alt", ["", "   ", None])
def test_image_html_requires_alt_text(alt):
    with pytest.raises(ValueError, match="expected alt as a non-empty description"):
        c.image_html(b"\x89PNG\r\n\x1a\n", alt)


def test_image_html_requires_png_bytes():
    with pytest.raises(TypeError, match="expected png as PNG bytes"):
        c.image_html("not bytes", "alt")


@pytest.mark.parametrize("kind, cls", [("slider", w.SelectionSlider), ("toggle", w.ToggleButtons),
                                       ("dropdown", w.Dropdown)])
def test_choice_makes_a_named_control(kind, cls):
    ctl = c.choice("weight w", [-1.0, 0.0, 0.5], value=0.5, kind=kind)
    assert isinstance(ctl, cls)
    assert ctl.description == "weight w" and ctl.tooltip == "weight w"
    assert [label for label, _ in ctl.options] == ["-1", "0", "0.5"]
    assert ctl.index == 2 and ctl.value == 0.5


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        (("", [1, 2]), {}, "non-empty name"),
        (("x", []), {}, "at least one value"),
        (("x", [1, 2]), {"value": 3}, "start value of control 'x'"),
        (("x", [1, 2]), {"labels": ["a"]}, "one label per value"),
        (("x", [1, 2]), {"labels": ["a", "a"]}, "distinct labels"),
        (("x", [1, 2]), {"kind": "knob"}, "unknown kind 'knob'"),
    ],
)
def test_choice_rejects_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        c.choice(*args, **kwargs)


def test_precomputed_one_control_links_index_to_the_stack():
    ctl = c.choice("n", [1, 2, 3], value=2)
    view = c.precomputed([ctl], lambda n: f"<p>n = {n}</p>")
    assert isinstance(view, w.Stack) and len(view.children) == 3
    assert view.selected_index == 1 and view.current() == "<p>n = 2</p>"
    assert [(m.source, m.target) for m in view.links] == [((ctl, "index"), (view, "selected_index"))]
    ctl.index = 2
    assert view.current() == "<p>n = 3</p>"


def test_precomputed_grid_nests_stacks_and_links_every_inner_stack():
    a = c.choice("a", [0, 1])
    b = c.choice("b", ["x", "y", "z"], kind="toggle")
    calls = []

    def state(av, bv):
        calls.append((av, bv))
        return f"{av}{bv}"

    view = c.precomputed([a, b], state)
    assert sorted(calls) == sorted((x, y) for x in (0, 1) for y in "xyz")
    assert view.states[(1, "z")] == "1z"
    inner = list(view.children)
    assert all(isinstance(s, w.Stack) and len(s.children) == 3 for s in inner)
    targets = {m.target[0].model_id for m in view.links if m.source == (b, "index")}
    assert targets == {s.model_id for s in inner}
    seen = set()
    for i in range(2):
        for j in range(3):
            a.index, b.index = i, j
            seen.add(view.current())
    assert seen == {"0x", "0y", "0z", "1x", "1y", "1z"}


def test_player_steps_a_sequence():
    play, steps = c.player("epoch", 4)
    view = c.precomputed([steps], lambda k: f"step {k}")
    assert play.min == 0 and play.max == 3 and play.description == "play epoch"
    assert (play.link.source, play.link.target) == ((play, "value"), (steps, "index"))
    steps.index = 3
    assert view.current() == "step 3"


def test_precomputed_rejects_bad_input():
    with pytest.raises(ValueError, match="one to three controls"):
        c.precomputed([], lambda: "")
    with pytest.raises(TypeError, match="selection controls"):
        c.precomputed([w.FloatSlider()], lambda v: "")
    with pytest.raises(TypeError, match="return HTML as str"):
        c.precomputed([c.choice("x", [1])], lambda v: 3)
    with pytest.raises(ValueError, match="positive integer"):
        c.player("steps", 0)


def test_the_saved_widget_state_holds_the_links():
    """What a static page stores (all the kernel's widget models): the links and the states."""
    from ipywidgets.embed import embed_data

    play, steps = c.player("step", 3)
    view = c.precomputed([steps], lambda k: f"<p>{k}</p>")
    models = embed_data(views=[w.VBox([play, steps, view])])["manager_state"]["state"]
    ref = "IPY_MODEL_{}".format

    def links(name, source):
        return [m["state"] for m in models.values()
                if m["model_name"] == name and m["state"]["source"][0] == ref(source.model_id)]

    (dlink,) = links("DirectionalLinkModel", steps)
    assert dlink["source"] == [ref(steps.model_id), "index"]
    assert dlink["target"] == [ref(view.model_id), "selected_index"]
    (link,) = links("LinkModel", play)
    assert link["target"] == [ref(steps.model_id), "index"]
    children = models[view.model_id]["state"]["children"]
    assert [models[child[len("IPY_MODEL_"):]]["state"]["value"].removeprefix(c.READOUT_STYLE)
            for child in children] == ["<p>0</p>", "<p>1</p>", "<p>2</p>"]


def test_the_first_state_carries_the_read_only_readout_style():
    # Where the book's script does not run (a live kernel), the style keeps readouts from typing.
    from nnbook.widgets._common import READOUT_STYLE

    ctl = c.choice("n", [1, 2, 3])
    view = c.precomputed([ctl], lambda n: f"<p>n = {n}</p>")
    values = [child.value for child in view.children]
    assert values[0] == READOUT_STYLE + "<p>n = 1</p>" and values[1:] == ["<p>n = 2</p>", "<p>n = 3</p>"]
    assert view.current() == "<p>n = 1</p>" and "read-only" in READOUT_STYLE
    assert "nnbook-result" in view._dom_classes
