"""The original library's API, behaviour for behaviour, and what the package adds.

Expected values come from the original's source (shared/seed/original) read line by line, from
Python's configparser semantics, or from CPython's eval of the same text (noted per test).
"""

import copy
import re
import json
import math
import os
import pickle
import sys
import textwrap

import pytest

import hparams
from hparams import HParams

# The original README's example file (values `some_value` are unknown names: raw text).
README_CFG = """\
[run]
name = some_run_name
some_other_run_param = some_value

[some_other_section]
some_other_param = some_other_value
"""

CFG = """\
# The experiment
[DEFAULT]
dropout = 0.1
root = '/data'

[run]
name = exp1
seed = 420

[Data-Set]
Batch-Size = 64
path = root + '/train'

[model]
up_strides = [1] * 11 + [2]
input_kernel_size = (1, 1)
act = relu
dropout = 0.5
big = 2 ** 100
weights = {'a': 1.5, 'b': -0.0}
ids = {3, 1, 2}
window = range(0, 10, 2)
"""


# ---- the original README's snippets, unchanged ------------------------------------------

def test_readme_basic_usage(project, capsys):
    project.write(README_CFG)
    hparams = HParams('.', name="some_object_name")
    print(hparams.some_other_run_param)
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "No existing config found. New run config file saved in "
        "./logs-some_run_name/hparams-some_run_name.cfg",
        "some_value",
    ]


def test_readme_get_by_name(project, capsys):
    project.write(README_CFG)
    HParams('.', name="some_object_name")
    hparams = HParams.get_hparams_by_name("some_object_name")
    print(hparams.run.name)
    print(hparams.some_other_section.some_other_param)
    assert capsys.readouterr().out.splitlines()[-2:] == ["some_run_name", "some_other_value"]


def test_readme_other_cfg_file(project):
    project.write(README_CFG, filename="some_other_cfg_name")
    hparams = HParams('.', hparams_filename='some_other_cfg_name', name='some_object_name')
    assert hparams.run.name == "some_run_name"
    assert os.path.isfile("logs-some_run_name/hparams-some_run_name.cfg")


def test_readme_gcs_backup(project, capsys, gcs_emulator):
    project.write(README_CFG)
    hparams = HParams('.', gcs_backup_project='some_project_name',
                      gcs_backup_bucket='some_bucket_path', name='some_name')
    out = capsys.readouterr().out.splitlines()
    # The original's second message, with its gs:// path.
    assert out[-1] == ("Backing up hparams file to "
                       "gs://some_bucket_path/some_run_name/hparams-some_run_name.cfg")
    stored = gcs_emulator("some_bucket_path", "some_run_name/hparams-some_run_name.cfg")
    assert stored == open("logs-some_run_name/hparams-some_run_name.cfg", "rb").read()
    assert hparams.run.name == "some_run_name"


# ---- files, messages, registry -----------------------------------------------------------

def test_new_run_then_resume(project, capsys):
    project.write(CFG)
    hp = HParams(".")
    saved = "./logs-exp1/hparams-exp1.cfg"
    assert capsys.readouterr().out == (
        f"No existing config found. New run config file saved in {saved}\n")
    # The saved copy is the file byte for byte (the original rewrote it with str()).
    assert open(saved).read() == CFG
    info = hparams.run_info(hp)
    assert (info.is_new_run, info.log_dir, info.saved_file) == (True, "./logs-exp1", saved)
    HParams.release("hparams")
    project.write(CFG.replace("seed = 420", "seed = 7"))
    again = HParams(".")
    captured = capsys.readouterr()
    assert captured.out == f"Found existing {saved}! Resuming run using primary parameters!\n"
    # What differs goes to stderr, not into the original's stdout.
    assert "run.seed" in captured.err and "420" in captured.err
    assert again.run.seed == 420
    info = hparams.run_info(again)
    assert not info.is_new_run
    assert [(d.key, d.cfg, d.saved) for d in info.differences] == [("run.seed", "7", "420")]


def test_registry(project):
    project.write(CFG)
    hp = HParams(".", name="a")
    assert HParams.get_hparams_by_name("a") is hp
    with pytest.raises(ValueError) as caught:
        HParams(".", name="a")
    assert str(caught.value) == "hparams a is being loaded a second time"  # original's text
    with pytest.raises(KeyError) as missing:
        HParams.get_hparams_by_name("b")
    assert "registered: a" in str(missing.value)
    assert HParams.release("a") and not HParams.release("a")
    assert HParams(".", name="a").run.name == "exp1"


def test_a_failed_load_does_not_register(project):
    project.write("[run]\nname = x\n[m]\nv = 1/0\n")
    with pytest.raises(ZeroDivisionError):
        HParams(".", name="bad")
    with pytest.raises(KeyError):
        HParams.get_hparams_by_name("bad")
    project.write("[run]\nname = x\n[m]\nv = 1\n")
    assert HParams(".", name="bad").m.v == 1


def test_quiet(project, capsys):
    project.write(CFG)
    HParams(".", quiet=True)
    assert capsys.readouterr() == ("", "")


def test_missing_file(project):
    with pytest.raises(FileNotFoundError) as caught:
        HParams(".", hparams_filename="absent")
    # The original raised ValueError here (its config had no [run] section): still caught.
    assert isinstance(caught.value, ValueError)
    assert "absent.cfg" in str(caught.value)


# ---- access --------------------------------------------------------------------------------

def test_values_are_what_cpython_eval_gives(project):
    project.write(CFG)
    hp = HParams(".")
    # Expected values: CPython's eval of each text (names unknown to the sandbox are text).
    m = hp.model
    assert m.up_strides == [1] * 11 + [2] and type(m.up_strides) is list
    assert m.input_kernel_size == (1, 1) and type(m.input_kernel_size) is tuple
    assert m.act == "relu"
    assert m.big == 2 ** 100 and type(m.big) is int
    assert m.weights == {"a": 1.5, "b": -0.0} and math.copysign(1, m.weights["b"]) == -1
    assert m.ids == {1, 2, 3} and type(m.ids) is set
    assert m.window == range(0, 10, 2) and type(m.window) is range
    assert hp.run.name == "exp1" and hp.run.seed == 420
    assert hp.data_set.batch_size == 64           # normalised names, as in the original
    assert hp.get("Data-Set", "batch-size") == 64
    # Values cannot read each other: `root` is an unknown name, so CPython's NameError makes
    # the value its raw text.
    assert hp.data_set.path == "root + '/train'"
    assert hp.dropout == 0.1                       # [DEFAULT] key as an attribute
    assert m.dropout == 0.5 and hp.run.dropout == 0.1


def test_name_is_always_text(project):
    project.write("[run]\nname = 42\n[b]\nx = 42\nname = None\n")
    hp = HParams(".")
    # The original cached values by text, so b.x could come back as '42'; here each key is
    # evaluated on its own (conformance edge-names).
    assert (hp.run.name, hp.b.x, hp.b.name) == ("42", 42, "None")


def test_items_iteration_and_to_dict_follow_configparser(project):
    project.write(CFG)
    hp = HParams(".")
    assert list(hp) == ["run", "Data-Set", "model"]
    # configparser's items(section): DEFAULT's keys first, a section's own value in place.
    assert [k for k, _ in hp.items("model")] == [
        "dropout", "root", "up_strides", "input_kernel_size", "act", "big", "weights", "ids",
        "window"]
    assert dict(hp.model)["dropout"] == 0.5
    assert list(hp.to_dict()) == ["run", "Data-Set", "model"]
    assert hp.to_dict()["Data-Set"]["batch-size"] == 64
    assert hp.to_dict()["model"]["up_strides"] is hp.model.up_strides


def test_missing_keys_and_sections(project):
    project.write(CFG)
    hp = HParams(".")
    with pytest.raises(ValueError) as caught:
        hp.model.nope
    assert str(caught.value) == 'Argument "nope" was not found in config under section "model"!'
    with pytest.raises(ValueError):
        hp.nope
    assert hp.get("model", "nope", raise_not_found=False) is None
    import configparser
    with pytest.raises(configparser.NoSectionError):
        hp.get("nosection", "x")
    # An AttributeError too, so that these work (the original raised ValueError).
    assert not hasattr(hp, "nope") and getattr(hp.model, "nope", 3) == 3


def test_unqualified_key_of_one_section(project):
    project.write("[run]\nname = u\nlr = 0.1\n[a]\nk = 1\n[b]\nk = 2\n")
    hp = HParams(".")
    assert hp.lr == 0.1
    with pytest.raises(ValueError, match="several sections"):
        hp.k


def test_set_update_and_str(project):
    project.write(CFG)
    hp = HParams(".")
    # set() turns a value into text with str() and evaluates that text (the original's rule).
    hp.set("model", "act", "gelu")
    hp.model.dropout = 0.25
    hp.root = "'/scratch'"  # attributes of DEFAULT go through set()
    assert hp.root == "/scratch" and hp.model.root == "/scratch"
    assert hp.model.act == "gelu" and hp.model.dropout == 0.25
    with pytest.raises(ValueError, match='provided key "nope" is not in section "model"!'):
        hp.set("model", "nope", 1)
    hp.set("model", "nope", 1, raise_unknown_key=False)
    assert hp.model.nope == 1
    hp.update(["~~model.up_strides=[2] * 3", "--ignored=1", "~~dropout=0.3",
               "~~run.seed=dict(a=1)"])
    assert hp.model.up_strides == [2, 2, 2]
    assert hp.dropout == 0.3 and hp.run.seed == {"a": 1}
    with pytest.raises(SyntaxError):
        hp.set("model", "act", "relu(")
    text = str(hp)
    # The original's layout: header, blank line, `key = value`, blank line; the section's
    # own value for a DEFAULT key is kept (the original dropped it).
    assert "[model]\n\nup_strides = [2] * 3\n\n" in text
    assert "dropout = 0.25\n" in text and text.startswith("# The experiment\n[DEFAULT]\n\n")
    # The saved copy is not touched by set().
    assert "act = relu" in open(hparams.run_info(hp).saved_file).read()


def test_pickle_and_copy(project):
    project.write(CFG)
    hp = HParams(".")
    for clone in (pickle.loads(pickle.dumps(hp)), copy.deepcopy(hp), copy.copy(hp)):
        assert clone.to_dict().keys() == hp.to_dict().keys()
        assert clone.model.up_strides == hp.model.up_strides
        assert clone.data_set.batch_size == 64


# ---- errors ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,cls,key,where", [
    ("[run]\nname = e\n[data]\npath = /data/x\n", SyntaxError, "data.path", ":4:"),
    ("[run]\nname = e\n[x]\nr = 1/0\n", ZeroDivisionError, "x.r", ":4:"),
    ("[run]\nname = e\n[x]\nt = 'a' + 1\n", TypeError, "x.t", ":4:"),
    ("[run]\nname = e\n[x]\nv = int('z')\n", ValueError, "x.v", ":4:"),
    ("[run]\nname = e\n[x]\nk = {}['a']\n", KeyError, "x.k", ":4:"),
    ("[run]\nname = e\n[x]\ni = [][1]\n", IndexError, "x.i", ":4:"),
    ("[run]\nname = e\n[x]\na = 'a'.nope\n", AttributeError, "x.a", ":4:"),
    ("[run]\nname = e\n[x]\no = 2.0 ** 10000\n", OverflowError, "x.o", ":4:"),
    ("[run]\nname = e\n[x]\na = 1\na = 2\n", __import__("configparser").DuplicateOptionError,
     "x.a", ":5:"),
    ("[run]\nname = e\n[x]\n[x]\n", __import__("configparser").DuplicateSectionError, "x",
     ":4:"),
    ("a = 1\n[run]\nname = e\n", __import__("configparser").MissingSectionHeaderError, "", ":1:"),
])
def test_errors_are_the_builtin_classes(project, text, cls, key, where):
    project.write(text)
    with pytest.raises(cls) as caught:
        HParams(".")
    error = caught.value
    assert isinstance(error, hparams.Error)
    assert error.key == key
    assert re.search(rf"hparams\.cfg{where}\d+: error: ", str(error)), str(error)
    if key:
        assert f" in {key}: " in str(error)


def test_every_bad_value_is_reported_at_once(project):
    project.write("[run]\nname = e\n[x]\na = 1/0\nb = (\nc = 'x' * 'y'\n")
    with pytest.raises(ZeroDivisionError) as caught:
        HParams(".")
    error = caught.value
    assert [e.key for e in error.errors] == ["x.a", "x.b", "x.c"]
    assert [type(e).__bases__[1] for e in error.errors] == [ZeroDivisionError, SyntaxError,
                                                           TypeError]
    assert str(error).count("error: ") == 3 and "    b = (\n" in str(error)


def test_a_bad_default_value_only_fails_where_it_is_used(project):
    # The original evaluates a [DEFAULT] value only through the sections that inherit it; a
    # file whose sections all override it loads (reading it raises, as it did there).
    project.write("[DEFAULT]\nroot = /home/x\n\n[run]\nname = d\nroot = 1\n\n[a]\nroot = 2\n")
    hp = HParams(".")
    assert hp.to_dict() == {"run": {"root": 1, "name": "d"}, "a": {"root": 2}}
    assert hp.a.root == 2
    with pytest.raises(SyntaxError) as caught:
        hp.root
    assert caught.value.key == "DEFAULT.root"
    HParams.release("hparams")
    # Inherited by a section, it is that section's error, placed at the [DEFAULT] line.
    project.write("[DEFAULT]\nroot = /home/x\n\n[run]\nname = d\nroot = 1\n\n[a]\nx = 2\n")
    import shutil
    shutil.rmtree("logs-d")
    with pytest.raises(SyntaxError) as inherited:
        HParams(".")
    assert inherited.value.key == "a.root"
    assert "hparams.cfg:2:8: error: SyntaxError in a.root" in str(inherited.value)


def test_syntax_error_attributes(project):
    project.write("[run]\nname = e\n[data]\npath = /data/x\n")
    with pytest.raises(SyntaxError) as caught:
        HParams(".")
    assert (caught.value.filename, caught.value.lineno, caught.value.offset) == (
        "./hparams.cfg", 4, 8)


def test_errors_pickle(project):
    project.write("[run]\nname = e\n[x]\nr = 1/0\n")
    with pytest.raises(ZeroDivisionError) as caught:
        HParams(".")
    clone = pickle.loads(pickle.dumps(caught.value))
    assert type(clone) is type(caught.value) and str(clone) == str(caught.value)


def test_bad_run_name(project):
    project.write("[run]\nname = ../evil\n")
    with pytest.raises(ValueError, match="run.name"):
        HParams(".")
    assert not os.path.exists("../logs-..")


# ---- beyond the original -------------------------------------------------------------------

def test_overrides_from_argv(project, monkeypatch):
    project.write(CFG)
    monkeypatch.setattr(sys, "argv", ["train.py", "model.act=gelu", "--epochs", "3",
                                      "--model.dropout=0.2", "~~run.seed=1"])
    hp = HParams(".", argv=True)
    assert sys.argv == ["train.py", "--epochs", "3"]
    assert (hp.model.act, hp.model.dropout, hp.run.seed) == ("gelu", 0.2, 1)
    # A new run keeps its overrides in the saved copy.
    saved = open(hparams.run_info(hp).saved_file).read()
    assert "act = gelu" in saved and "seed = 1" in saved
    applied = {(o.section, o.key, o.value) for o in hparams.run_info(hp).overrides}
    assert ("model", "act", "gelu") in applied


def test_overrides_on_resume_apply_to_this_launch(project, capsys):
    project.write(CFG)
    HParams(".", quiet=True)
    HParams.release("hparams")
    hp = HParams(".", overrides=["model.act=tanh"])
    assert hp.model.act == "tanh"
    assert "act = relu" in open(hparams.run_info(hp).saved_file).read()
    assert "model.act" in open(hparams.run_info(hp).history_file).read()
    assert "Overrides for this launch only" in capsys.readouterr().err


def test_unknown_override_key(project):
    project.write(CFG)
    with pytest.raises(KeyError, match="did you mean"):
        HParams(".", overrides=["model.actt=gelu"])


def test_strict_resume(project):
    project.write(CFG)
    HParams(".", quiet=True)
    HParams.release("hparams")
    project.write(CFG.replace("seed = 420", "seed = 1"))
    with pytest.raises(ValueError, match="resuming is strict"):
        HParams(".", resume="strict", quiet=True)


def test_file_backup_uri(project, tmp_path_factory):
    store = tmp_path_factory.mktemp("store")
    project.write(CFG)
    hp = HParams(".", backup=f"file://{store}", quiet=True)
    assert hparams.run_info(hp).backup_uri == f"file://{store}/exp1/hparams-exp1.cfg"
    assert (store / "exp1" / "hparams-exp1.cfg").read_text() == CFG
    # A new machine: no local copy, the cfg edited; the backup's copy wins.
    HParams.release("hparams")
    import shutil
    shutil.rmtree("logs-exp1")
    project.write(CFG.replace("seed = 420", "seed = 9"))
    restored = HParams(".", backup=f"file://{store}", quiet=True)
    assert hparams.run_info(restored).is_restored and restored.run.seed == 420


def test_rank_waits_for_rank_zero(project):
    project.write(CFG)
    with pytest.raises(TimeoutError, match="rank 3 waited"):
        HParams(".", rank=3, rank_timeout=0.2, quiet=True)
    with pytest.raises(ValueError, match="rank_timeout"):
        HParams(".", rank=3, rank_timeout=math.inf, quiet=True)


def test_to_json(project):
    project.write(CFG)
    data = json.loads(HParams(".").to_json())
    # The documented mapping: tuples and sets are arrays, big ints are decimal strings.
    assert data["model"]["input_kernel_size"] == [1, 1]
    assert data["model"]["big"] == str(2 ** 100)
    assert sorted(data["model"]["ids"]) == [1, 2, 3]
    assert data["model"]["window"] == "range(0, 10, 2)"


def test_load_and_evaluate_without_a_run(project):
    path = project.write(textwrap.dedent("""\
        [grid]
        lrs = [10 ** -i for i in range(1, 4)]
        """))
    config = hparams.load(path)
    assert config.grid.lrs == [0.1, 0.01, 0.001]
    assert not os.path.exists("logs-")
    assert hparams.evaluate("adam") == "adam"
    assert hparams.evaluate("2 ** 20000") == 2 ** 20000  # beyond Python's 4,300-digit str limit
    assert hparams.evaluate("'\\ud800'") == "\ud800"       # lone surrogates survive


def test_sandbox(project):
    project.write("[run]\nname = s\n[x]\nimp = __import__('os').system('touch pwned')\n"
                  "opn = open('hparams.cfg').read()\n")
    hp = HParams(".")
    # Unknown names: the raw text, nothing run.
    assert hp.x.imp == "__import__('os').system('touch pwned')"
    assert not os.path.exists("pwned")


def test_legacy_module_paths():
    from hparams.hparams import HParams as same
    from hparams.localconfig import LocalConfig
    assert same is HParams and issubclass(HParams, LocalConfig)
