# The README's Python example, run by python/tests/test_docs.py in a directory holding
# docs/examples/hparams.cfg.
# [example]
from hparams import HParams

hp = HParams(".", name="main")          # reads ./hparams.cfg; saves or resumes the run
print(hp.optimizer.lr)                  # 0.0003
print(hp.model.widths, hp.model.kernel)  # [64, 64, 64, 128] (3, 3)
print(hp.get("model", "dropout"))       # None
print(hp.kind, hp.augment)              # adam True  (a key only one section has)
for key, value in hp.items("train"):
    print(key, value)                   # epochs 30
everything = hp.to_dict()               # {section: {key: value}}
print(sorted(everything))               # ['data', 'model', 'optimizer', 'run', 'train']
hp = HParams.get_hparams_by_name("main")  # anywhere else in the program
print(hp.run.name)                      # cifar10_baseline
# [end example]
