"""Every conformance config through HParams(...).to_dict(), against CPython's ground truth
(tests/conformance/configs/*.expected: sorted `section.key = repr(value)` lines, or the error
kind and key a file must be rejected with)."""

import builtins
import configparser
import shutil

import pytest

import hparams
from conftest import CONFIGS, conformance_stems, expected_lines, from_repr, same


def python_class(kind):
    """The built-in or configparser class an error of `kind` must be an instance of."""
    return getattr(builtins, kind, None) or getattr(configparser, kind)


def is_run_config(path):
    config = hparams.load(path)
    return "run" in list(config) and config.get("run", "name", raise_not_found=False) is not None


def flatten(d):
    return {f"{section}.{key}": value for section, keys in d.items() for key, value in keys.items()}


def check_against_expected(stem, values):
    kind, lines = expected_lines(stem)
    assert kind == "ok"
    expected = {}
    for line in lines:
        # Split at the ' = ' that ends a key we have (section names may hold ' = ').
        for at in range(len(line)):
            at = line.find(" = ", at)
            if at < 0:
                break
            if line[:at] in values:
                expected[line[:at]] = line[at + 3:]
                break
        else:
            expected[line] = None
    assert sorted(expected) == sorted(values), stem
    for key, text in expected.items():
        ours = values[key]
        assert repr(ours) == text or same(ours, from_repr(text)), f"{stem}: {key}"


@pytest.mark.parametrize("stem", conformance_stems())
def test_new_run_and_resume_match_cpython(stem, tmp_path):
    source = CONFIGS / f"{stem}.cfg"
    shutil.copyfile(source, tmp_path / f"{stem}.cfg")
    expected = expected_lines(stem)
    if expected[0] == "error":
        _, kind, key = expected
        with pytest.raises(python_class(kind)) as caught:
            hparams.HParams(tmp_path, hparams_filename=stem, name=stem, quiet=True)
        assert isinstance(caught.value, hparams.Error)
        assert caught.value.kind == kind
        if key:
            assert caught.value.key == key
            assert f" in {key}: " in str(caught.value)
        assert f"{stem}.cfg:" in str(caught.value)
        return
    if not is_run_config(source):
        # No run.name: HParams refuses (the original too), the values still load.
        with pytest.raises(ValueError, match="run.name"):
            hparams.HParams(tmp_path, hparams_filename=stem, name=stem, quiet=True)
        check_against_expected(stem, flatten(hparams.load(source).to_dict()))
        return
    first = hparams.HParams(tmp_path, hparams_filename=stem, name=stem, quiet=True)
    assert hparams.run_info(first).is_new_run
    check_against_expected(stem, flatten(first.to_dict()))
    hparams.HParams.release(stem)
    resumed = hparams.HParams(tmp_path, hparams_filename=stem, name=stem, quiet=True)
    assert not hparams.run_info(resumed).is_new_run
    check_against_expected(stem, flatten(resumed.to_dict()))
    # Attribute access gives the same objects as to_dict.
    for section, keys in resumed.to_dict().items():
        for key, value in keys.items():
            assert resumed.get(section, key) is value


def test_every_conformance_config_is_covered():
    assert len(conformance_stems()) == 44
