"""Config: the original library's LocalConfig API over our engine.

The original wrapped Python's configparser and called ``eval`` on each value when it was
first read. Here the document is read and every value evaluated by the C++ engine when the
file loads (hparams._core), and this class keeps configparser's data model (raw texts by
section, DEFAULT inherited) with the evaluated values beside them, so that lookups, ``items``,
``to_dict``, ``set``, ``update`` and ``str()`` behave as the original's do.
"""

import io
import os

from . import _core
from .errors import ConfigError, NotFoundError, _no_section

DEFAULTSECT = "DEFAULT"

RAISE_ERROR_WHEN_NOT_FOUND = True
RAISE_ERROR_WHEN_NEW_KEY = True

_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _normalise(name):
    """The original's normalised name: lower-case, every character outside [A-Za-z0-9] as
    '_' (its NON_ALPHA_NUM regex, without importing re)."""
    return "".join(c if c in _ALNUM else "_" for c in name.lower())


def _config_key_match(line):
    """The original's CONFIG_KEY_RE.match: `[A-Za-z0-9\\-_.]+\\s*=` at the start of line."""
    i = 0
    while i < len(line) and (line[i] in _ALNUM or line[i] in "-_."):
        i += 1
    if i == 0:
        return False
    while i < len(line) and line[i].isspace():
        i += 1
    return i < len(line) and line[i] == "="


def _is_config(value):
    """The original's test for "this str is config text, not a file name"."""
    return "\n" in value or _config_key_match(value)


_MISSING = object()


class _Failed:
    """An evaluation error kept for a value that only fails when it is read."""

    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


class Config:
    """A loaded .cfg file with the original library's access API.

    ``config.section.key`` (normalised names work: ``[Data-Set]`` is ``config.data_set``),
    ``config.key`` for a ``[DEFAULT]`` key (or the one section that has it), ``get``,
    ``items``, iteration over sections, ``to_dict``, ``set``, ``update`` and ``str()``.
    Values are plain Python objects, exactly what CPython's ``eval`` gives for each value
    (the key ``name`` stays text; a value made of unknown names is its raw text).
    """

    LAST_COMMENT_KEY = "LAST_COMMENT_KEY"

    class SectionAccessor:
        """Attribute access (read, write, iteration) to one section."""

        def __init__(self, config, section):
            object.__setattr__(self, "_config", config)
            object.__setattr__(self, "_section", section)

        def __getattr__(self, key):
            if key.startswith("__") and key.endswith("__"):
                raise AttributeError(key)
            return self._config.get(self._section, key)

        def __setattr__(self, key, value):
            if key in ("_config", "_section"):
                object.__setattr__(self, key, value)
            else:
                self._config.set(self._section, key, value)

        def __iter__(self):
            return self._config.items(self._section)

        def __dir__(self):
            raw, _ = self._config._merged(self._config._real_section(self._section))
            return sorted(set(raw) | set(object.__dir__(self)))

    def __init__(self, last_source=None, interpolation=None, kv_sep=" = ", indent_spaces=4,
                 compact_form=False):
        """An empty config, then ``last_source`` (a file name, config text or file object)
        when given. Unlike the original, no ``~/.config/<program>`` file is read silently."""
        if interpolation:
            raise ConfigError("interpolation is not supported: values are Python expressions")
        # configparser's model: raw texts by section (DEFAULT first), values beside them.
        self._raw = {DEFAULTSECT: {}}
        self._vals = {DEFAULTSECT: {}}
        self._dot_keys = None  # normalised names, built by the first lookup that needs them
        self._sources = []
        self._set_comments = {}
        self._kv_sep = kv_sep
        self._indent_spaces = indent_spaces
        self._compact_form = compact_form
        self._last_source = last_source
        self._limits = (0, 0)
        if last_source is not None:
            self.read(last_source)

    # ---- loading ---------------------------------------------------------------------

    def read(self, sources):
        """Reads config sources on top of what is loaded (configparser's merge: sections and
        keys are added, existing keys replaced). A source is a file name, config text or a
        file object; a file name that does not exist is skipped, as in the original. Returns
        True when every source was read."""
        all_read = True
        if not isinstance(sources, list):
            sources = [sources]
        for source in sources:
            if isinstance(source, io.IOBase) or hasattr(source, "read"):
                loaded = _core.parse(source.read(), getattr(source, "name", "<file>"),
                                     *self._limits)
            elif isinstance(source, str) and _is_config(source):
                loaded = _core.parse(source, "<string>", *self._limits)
            elif os.path.exists(source):
                loaded = _core.load(os.fsencode(source), *self._limits)
            else:
                all_read = False
                continue
            self._adopt(loaded)
        return all_read

    def _adopt(self, loaded):
        _file, text, sections, failed = loaded
        self._sources.append(text)
        raw_sections, values = self._raw, self._vals
        for name, raw, vals in sections:
            if name in raw_sections:
                raw_sections[name].update(raw)
                values[name].update(vals)
            else:
                raw_sections[name] = raw
                values[name] = vals
        # [DEFAULT] values that did not evaluate and that no section inherits: reading one
        # raises its error, as the original's would when it was read.
        for key, error in failed:
            values[DEFAULTSECT][key] = _Failed(error)
        self._dot_keys = None

    @classmethod
    def _to_dot_key(cls, section, key=None):
        """The section (and key) in normalised form."""
        if key:
            return (_normalise(section), _normalise(key))
        return _normalise(section)

    def _dots(self):
        """The original's map of normalised names: section -> section as written, and
        (section, key) -> (section, key) as written."""
        if self._dot_keys is None:
            self._dot_keys = {}
            for section, raw in self._raw.items():
                if section == DEFAULTSECT and not raw:
                    continue
                self._add_dot_key(section)
                for key in raw:
                    self._add_dot_key(section, key)
        return self._dot_keys

    def _add_dot_key(self, section, key=None):
        if self._dot_keys is None:
            return  # built from the whole model when first needed
        dot = self._to_dot_key(section, key)
        target = (section, key) if key else section
        # A name already in normalised form keeps its normalised lookup (the original let the
        # last of `a_b` and `a-b` win, so `a_b` could read `a-b`'s value).
        current = self._dot_keys.get(dot)
        if current is None or current != dot:
            self._dot_keys[dot] = target

    # ---- lookups ---------------------------------------------------------------------

    def _real_section(self, section):
        """The section as written for a name as given: exact, DEFAULT, or normalised."""
        if section in self._raw:
            return section
        if isinstance(section, str):
            real = self._dots().get(section)
            if isinstance(real, str):
                return real
        return section

    def _merged(self, section):
        """configparser's items(section): DEFAULT's keys first, then the section's own other
        keys; a section's own value replaces the default in place. (raw, values)."""
        raw = self._raw.get(section)
        if raw is None:
            raise _no_section(section)
        if section == DEFAULTSECT:
            return raw, self._vals[DEFAULTSECT]
        return ({**self._raw[DEFAULTSECT], **raw},
                {**self._vals[DEFAULTSECT], **self._vals[section]})

    def _lookup(self, section, key):
        """The value of a key of a section (own, else DEFAULT's); _MISSING when absent,
        NoSectionError when the section is."""
        own = self._vals.get(section)
        if own is None:
            raise _no_section(section)
        key = key.lower()
        value = own[key] if key in own else self._vals[DEFAULTSECT].get(key, _MISSING)
        if type(value) is _Failed:
            raise value.error
        return value

    def get(self, section, key, raise_not_found=RAISE_ERROR_WHEN_NOT_FOUND):
        """The value of ``key`` in ``section`` (a DEFAULT key when the section does not have
        it). Names may be given normalised. A missing key raises NotFoundError (a ValueError,
        as in the original), or gives None with ``raise_not_found=False``; a missing section
        raises NoSectionError (configparser's)."""
        if section in self._vals:
            value = self._lookup(section, key)
            if value is not _MISSING:
                return value
        mapped = self._dots().get((section, key))
        if mapped is not None:
            section, key = mapped
        else:
            section = self._real_section(section)
        value = self._lookup(section, key)
        if value is _MISSING:
            if raise_not_found:
                raise NotFoundError(
                    'Argument "{}" was not found in config under section "{}"!'.format(
                        key, section), key=f"{section}.{key}")
            return None
        return value

    def items(self, section):
        """(key, value) pairs of a section, DEFAULT keys included (configparser's order)."""
        _, values = self._merged(self._real_section(section))
        for key, value in values.items():
            if type(value) is _Failed:
                raise value.error
            yield key, value

    def __iter__(self):
        """The section names, in file order (DEFAULT excluded)."""
        for section in self._raw:
            if section != DEFAULTSECT:
                yield section

    def __getattr__(self, section):
        """A section (``config.model``), or a ``[DEFAULT]`` key (``config.lr``)."""
        raw = self.__dict__.get("_raw")
        if raw is None or (section.startswith("__") and section.endswith("__")):
            raise AttributeError(section)
        if section in raw or section in self._dots():
            return self.SectionAccessor(self, section)
        try:
            return self.get(DEFAULTSECT, section)
        except NotFoundError:
            # Not in DEFAULT: the one section that has the key (the original raised here,
            # so `hp.lr` for a key of one section, as its README shows, works now).
            owner = self._unqualified(section)
            if owner is None:
                raise
            return self._lookup(*owner)

    def _unqualified(self, key):
        """(section, key) of the one section holding ``key`` (exact, lower-case or
        normalised), None when no section does; ambiguity is a NotFoundError."""
        lowered = key.lower()
        holders = [(s, lowered) for s, raw in self._raw.items()
                   if s != DEFAULTSECT and lowered in raw]
        if not holders:
            dot = _normalise(lowered)
            holders = [target for name, target in self._dots().items()
                       if type(name) is tuple and name[1] == dot and target[0] != DEFAULTSECT]
        if len(holders) > 1:
            raise NotFoundError(
                f"key {key!r} is in several sections ({', '.join(s for s, _ in holders)}): "
                f"write config.SECTION.{key}", key=key)
        return holders[0] if holders else None

    def __setattr__(self, attr, value):
        """Sets a ``[DEFAULT]`` key (attributes starting with '_' are the object's own)."""
        if attr.startswith("_"):
            object.__setattr__(self, attr, value)
        else:
            self.set(DEFAULTSECT, attr, value)

    def __dir__(self):
        names = set(object.__dir__(self)) | set(self._raw[DEFAULTSECT])
        names |= {_normalise(s) for s in self}
        return sorted(names)

    def __getstate__(self):
        return self.__dict__.copy()

    def __setstate__(self, state):
        self.__dict__.update(state)

    def to_dict(self):
        """{section: {key: value}} for every section but DEFAULT, whose keys each section
        inherits. The values are the objects attribute access returns."""
        defaults = self._vals[DEFAULTSECT]
        return {section: {**defaults, **values} for section, values in self._vals.items()
                if section != DEFAULTSECT}

    def to_json(self, indent=2):
        """to_dict() as JSON text, in the documented mapping (tuples and sets are arrays, ints
        beyond 64 bits and inf/nan are strings, non-str dict keys are their repr)."""
        return _core.to_json(self.to_dict(), -1 if indent is None else indent)

    # ---- changes ---------------------------------------------------------------------

    def set(self, section, key, value, comment=None, raise_unknown_key=RAISE_ERROR_WHEN_NEW_KEY):
        """Sets a value in memory (the saved copy is never changed). As in the original, a
        non-str value is turned into text with str() and that text is the new value, evaluated
        as a config value (``set('model', 'lr', '3e-4')`` gives 0.0003); here a text that does
        not evaluate is an error now rather than at the next read. The key must exist in the
        section (own or inherited from DEFAULT) unless ``raise_unknown_key`` is False."""
        if section not in self._raw or key.lower() not in self._merged(section)[0]:
            mapped = self._dots().get((section, key))
            if mapped is not None:
                section, key = mapped
            else:
                section = self._real_section(section)
        if not isinstance(value, str):
            value = str(value)
        stored = key.lower()
        if raise_unknown_key and stored not in self._merged(section)[0]:
            raise NotFoundError('provided key "{}" is not in section "{}"!'.format(key, section),
                                key=f"{section}.{key}")
        if section not in self._raw:
            raise _no_section(section)
        evaluated = _core.evaluate(value, stored == "name", *self._limits)
        self._raw[section][stored] = value
        self._vals[section][stored] = evaluated
        self._add_dot_key(section, key)
        if comment:
            self._set_comment(section, comment, key)

    def update(self, params):
        """Applies the original's overrides: each ``~~section.key=value`` of ``params`` (other
        items are ignored). ``~~key=value`` without a section means ``[DEFAULT]`` when DEFAULT
        has the key, else the one section that has it. The value is config-value text."""
        if params is None:
            return
        for param in params:
            if not param.startswith("~~"):
                continue
            name, sep, value = param[2:].partition("=")
            if not sep:
                raise ConfigError(f"override {param!r} has no '=': write ~~section.key=value")
            section, key = self._override_target(name.strip())
            self.set(section, key, value.strip())

    def _override_target(self, name):
        # "section.key": sections and keys may both hold dots, so try every split.
        start = 0
        while True:
            dot = name.find(".", start)
            if dot < 0:
                break
            section = self._real_section(name[:dot])
            if section in self._raw:
                return section, name[dot + 1:]
            start = dot + 1
        if name.lower() in self._raw[DEFAULTSECT] or "." in name:
            return DEFAULTSECT, name
        return self._unqualified(name) or (DEFAULTSECT, name)

    def add_section(self, section, comment=None):
        """Adds an empty section. DuplicateSectionError when it exists (also in normalised
        form); ValueError for DEFAULT."""
        if section == DEFAULTSECT:
            raise ConfigError(f"Invalid section name: {section!r}")
        if section in self._raw or _normalise(section) in self._dots():
            from .errors import DuplicateSectionError
            raise DuplicateSectionError(f"Section {section!r} already exists", key=section)
        self._raw[section] = {}
        self._vals[section] = {}
        self._add_dot_key(section)
        if comment:
            self._set_comment(section, comment)

    def _set_comment(self, section, comment, key=None):
        if "\n" in comment:
            comment = "\n# ".join(comment.split("\n"))
        comment = "# " + comment
        self._set_comments[(section, key) if key else section] = comment

    # ---- text ------------------------------------------------------------------------

    def _comments(self):
        """The original's comment map: the '#' lines before a section header or a
        `key = value` line, and those at the end of the file."""
        comments = {}
        for text in self._sources:
            comment = ""
            section = ""
            for line in io.StringIO(text.lstrip("\ufeff")):
                line = line.rstrip()
                if not line:
                    if comment:
                        comment += "\n"
                    continue
                if line.startswith("#"):
                    comment += line + "\n"
                    continue
                if line.startswith("["):
                    section = line.strip("[]")
                    if comment:
                        comments[section] = comment.rstrip()
                elif _config_key_match(line):
                    key = line.split("=", 1)[0].strip()
                    if comment:
                        comments[(section, key)] = comment.rstrip()
                comment = ""
            if comment:
                comments[self.LAST_COMMENT_KEY] = comment
        comments.update(self._set_comments)
        return comments

    def __str__(self):
        """The config in the original's layout: each section's header and `key = value`
        lines with their comments. Unlike the original, a section's own value for a DEFAULT
        key is printed (the original dropped it, so its saved copy lost the override)."""
        comments = self._comments()
        output = []
        extra_newline = "" if self._compact_form else "\n"
        for section, own in self._raw.items():
            if not own and (section == DEFAULTSECT or not self._raw[DEFAULTSECT]):
                continue
            if section in comments:
                output.append(comments[section])
            elif output:
                output.append("")
            output.append("[%s]%s" % (section, extra_newline))
            for key, value in own.items():
                if (section, key) in comments:
                    output.append(comments[(section, key)])
                value = ("\n" + " " * self._indent_spaces).join(value.split("\n"))
                output.append("%s%s%s%s" % (key, self._kv_sep, value, extra_newline))
        if self.LAST_COMMENT_KEY in comments:
            output.append(comments[self.LAST_COMMENT_KEY])
        return "\n".join(output)

    def save(self, target_file=None, as_template=False):
        """Writes str(self) to ``target_file`` atomically (``as_template`` comments every
        line out, as in the original)."""
        import tempfile

        if not target_file:
            if not isinstance(self._last_source, str) or _is_config(self._last_source):
                raise AttributeError(
                    "Target file is required when last source is not set during instantiation")
            target_file = self._last_source
        output = str(self)
        if as_template:
            output = "\n".join(
                "# %s" % line if line and not line.startswith("#") else line
                for line in output.split("\n"))
        directory = os.path.dirname(os.path.abspath(target_file))
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".hparams-save-")
        try:
            with os.fdopen(fd, "w") as fp:
                fp.write(output)
                fp.flush()
                os.fsync(fp.fileno())
            os.replace(temporary, target_file)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def save_config(self, logfile):
        """save(logfile) when the config has run.name (the original's helper)."""
        if "name" in self._merged(self._real_section("run"))[0]:
            self.save(logfile)


LocalConfig = Config


def load(path, *, max_steps=None, max_bytes=None):
    """Loads a .cfg file without the run machinery: no run.name needed, nothing saved.

    Every value is evaluated now; every bad value of the file is reported at once.
    """
    config = Config()
    config._limits = (max_steps or 0, max_bytes or 0)
    config._adopt(_core.load(os.fsencode(path), *config._limits))
    return config


def evaluate(text):
    """The value of one config value text, as CPython's eval would give it, in the sandbox
    (unknown names give the raw text: ``evaluate("adam") == "adam"``)."""
    return _core.evaluate(text)
