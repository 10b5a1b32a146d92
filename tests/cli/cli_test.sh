#!/usr/bin/env bash
# The command-line tool's contract: exit statuses, several files and '-', check's warnings
# and --strict, diff, runs, history, backup and pull name checks, hostile files.
#   cli_test.sh HPARAMS_BINARY WORK_DIR
set -uo pipefail
hp=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
failures=0
checks=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
# expect STATUS COMMAND...: the command exits with STATUS; its output is in out/err.
expect() {
  local want=$1
  shift
  checks=$((checks + 1))
  "$@" >out 2>err
  local got=$?
  [ "$got" = "$want" ] || fail "exit $got (expected $want): $* | $(head -c 300 err)"
}
contains() {  # contains FILE TEXT
  checks=$((checks + 1))
  grep -qF -- "$2" "$1" || fail "$1 lacks '$2': $(head -c 400 "$1")"
}
lacks() {
  checks=$((checks + 1))
  ! grep -qF -- "$2" "$1" || fail "$1 has '$2'"
}

printf '[run]\nname = exp1\n[train]\nlr = 1e-3\nepochs = 10\nlayers = [64, 64]\n' > a.cfg
printf '[run]\nname = exp1\n# a comment\n[train]\nlr = 0.001\nepochs = 10.0\nlayers = [64, 64]\nextra = 1\n' > b.cfg

# ---- usage and exit statuses ----
expect 2 "$hp"
contains err "A command is required"
expect 2 "$hp" show
contains err "files is required"
expect 0 "$hp" show --help
contains out "Usage: hparams show"            # the usage line names the tool, not its path
lacks out "$hp show"
expect 0 "$hp" --version
contains out "hparams "
expect 0 "$hp" version
expect 1 "$hp" eval "1/0"
expect 0 "$hp" eval "[1] * 2"
contains out "[1, 1]"

# ---- files that are not config files: a clear error, never a crash ----
mkdir dir.cfg
expect 3 "$hp" show dir.cfg
contains err "it is a directory, not a regular file"
expect 3 "$hp" check /dev/zero
contains err "it is a character device"
expect 3 "$hp" show --raw dir.cfg
mkfifo fifo.cfg
expect 3 timeout 10 "$hp" check fifo.cfg
contains err "a FIFO"

# ---- several files and standard input ----
expect 0 "$hp" show a.cfg b.cfg
contains out "# a.cfg"
contains out "train.extra = 1"
expect 0 "$hp" show - < a.cfg
contains out "train.lr = 0.001"
printf '[x]\nv = 1/0\n' > bad.cfg
expect 1 "$hp" check a.cfg bad.cfg
contains out "a.cfg: ok"
contains err "bad.cfg:2:6: error: ZeroDivisionError in x.v: division by zero"
expect 0 "$hp" check - < a.cfg
contains out "-: ok"

# ---- check: warnings by default, errors with --strict ----
printf '[run]\nname = x\n[a]\naugment = true\nact = nn.ReLU\ntrain = root + "/train"\nbatch = 256,\npath = data/train\nopt = adam\n' > lint.cfg
expect 0 "$hp" check lint.cfg
contains out "lint.cfg: ok (4 warnings)"
contains err "lint.cfg:4:11: warning: ConfigError in a.augment: the value became the text 'true': did you mean True?"
contains err "a.act: the value became the text 'nn.ReLU': a dotted name"
contains err "a.train: the value became the text 'root + \"/train\"'"
contains err "a.batch: the trailing comma makes this the tuple (256,)"
lacks err "a.path"
lacks err "a.opt"
expect 1 "$hp" check --strict lint.cfg
contains err "lint.cfg:4:11: error: ConfigError in a.augment"
printf '[run]\nname = x\n[data]\nroot = /datasets/cifar10\n' > path.cfg
expect 1 "$hp" check path.cfg
contains err "SyntaxError in data.root: invalid syntax; quote text: '/datasets/cifar10'"
printf '[DEFAULT]\nroot = /home/x\n[a]\nroot = 1\n' > default.cfg
expect 0 "$hp" check default.cfg
contains out "default.cfg: ok (1 warning)"
contains err "warning: SyntaxError in DEFAULT.root"

# ---- diff: by type and value; files, run directories, run names ----
expect 1 "$hp" diff a.cfg b.cfg
contains out "--- a.cfg"
contains out "train.epochs: 10 -> 10.0"
contains out "train.extra: (absent) -> 1"
lacks out "train.lr"                            # 1e-3 and 0.001 are the same float
cp a.cfg a2.cfg
printf '\n# only a comment and layout differ\n' >> a2.cfg
expect 0 "$hp" diff a.cfg a2.cfg
expect 1 "$hp" diff --json a.cfg b.cfg
contains out '"key": "train.epochs"'
contains out '"a": "10"'
contains out '"b": "10.0"'
mkdir project
cp a.cfg project/hparams.cfg
expect 0 "$hp" run project
sed -i 's/name = exp1/name = exp2/; s/epochs = 10/epochs = 20/' project/hparams.cfg
expect 0 "$hp" run project train.lr=5e-4
expect 1 "$hp" diff exp1 exp2 --project project
contains out "train.epochs: 10 -> 20"
contains out "train.lr: 0.001 -> 0.0005"
expect 1 "$hp" diff project/logs-exp1 project/logs-exp2
expect 2 "$hp" diff exp1 nosuchrun --project project
contains err "'nosuchrun' is neither a .cfg file, a run directory, nor a run of project project"

# ---- history and runs ----
expect 0 "$hp" run project train.lr=6e-4
expect 0 "$hp" history exp2 --project project
contains out "run exp2: 2 launches recorded in project/logs-exp2/hparams-history.log"
contains out "created"
contains out "resumed"
contains out "overrides: train.lr=6e-4"
expect 0 "$hp" history project/logs-exp1 --json
contains out '"event":"created"'
expect 0 "$hp" runs project
contains out "exp1"
contains out "exp2"
contains out "train.lr=6e-4"
expect 0 "$hp" runs project --json
contains out '"run": "exp2"'
contains out '"launches": 2'
# The backup column: what the history says was uploaded, and with --verify what the store holds.
mkdir -p runs-store
expect 0 "$hp" run project run.name=backed --backup "file://$work/runs-store"
expect 0 "$hp" runs project
contains out "file://$work/runs-store (matches the upload)"
expect 0 "$hp" runs project --verify
contains out "file://$work/runs-store (matches the store)"
printf '[run]\nname = backed\n' > runs-store/backed/hparams-backed.cfg
expect 0 "$hp" runs project --verify
contains out "(differs from the store)"
rm runs-store/backed/hparams-backed.cfg
expect 0 "$hp" runs project --verify --json
contains out '"backup_state": "missing in the store"'
echo "# edited" >> project/logs-backed/hparams-backed.cfg
expect 0 "$hp" runs project
contains out "(differs from the upload)"

# ---- backup and pull: run names are checked, nothing escapes the prefix or the project ----
mkdir -p store
expect 0 "$hp" backup project/logs-exp1 "file://$work/store"
[ -f "store/exp1/hparams-exp1.cfg" ] || fail "backup did not write store/exp1/hparams-exp1.cfg"
mkdir -p "project/logs-.."
expect 1 "$hp" backup "project/logs-.." "file://$work/store"
contains err "cannot name the run's log directory"
expect 1 "$hp" pull "file://$work/store/.." project
expect 1 "$hp" pull "file://$work/store/a..b" project
expect 1 "$hp" backup project/logs-exp1 "s3://AKIAX:VERYSECRET@bucket/p"
lacks err "VERYSECRET"
rm -rf pulled && mkdir pulled
expect 0 "$hp" pull "file://$work/store/exp1" pulled
cmp -s pulled/logs-exp1/hparams-exp1.cfg project/logs-exp1/hparams-exp1.cfg ||
  fail "pulled copy differs"
expect 0 "$hp" pull "file://$work/store/exp1" pulled
contains out "is already identical"

# ---- run: bad timeouts are usage errors, no undefined behaviour ----
expect 2 "$hp" run project --rank-timeout inf
expect 2 "$hp" run project --rank-timeout -1
expect 2 "$hp" run project --rank-timeout nan
expect 2 "$hp" run project model.lr = 1e-3
contains err "looks like an override split by the shell"

echo "cli: $checks checks, $failures failed"
[ "$failures" -eq 0 ]
