#!/usr/bin/env python3
"""The PyTorch example: a small MLP on spirals, trained with DistributedDataParallel over gloo,
configured entirely by hparams.cfg through the hparams package.

    mpirun -n 4 python3 train.py [PROJECT_DIR] [section.key=value ...] [--stop-after EPOCH]

Any launcher that sets RANK/WORLD_SIZE (or OpenMPI's OMPI_COMM_WORLD_*) works; Debian 12's
torchrun (1.13) fails on Python 3.11 before starting a worker, so the examples use mpirun.
The first launch of a run name saves the config and writes checkpoints and metrics.csv into
logs-<run.name>/; a later launch (after a crash, kill -9 included) resumes from the saved
config and the last checkpoint. Only rank 0 prints.
"""

import argparse
import math
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel

import hparams


def launcher_environment():
    """RANK, WORLD_SIZE and the rendezvous for torch.distributed, from mpirun's variables."""
    env = os.environ
    if "RANK" not in env and "OMPI_COMM_WORLD_RANK" in env:
        env["RANK"] = env["OMPI_COMM_WORLD_RANK"]
        env["WORLD_SIZE"] = env["OMPI_COMM_WORLD_SIZE"]
        env["LOCAL_RANK"] = env.get("OMPI_COMM_WORLD_LOCAL_RANK", "0")
    env.setdefault("RANK", "0")
    env.setdefault("WORLD_SIZE", "1")
    env.setdefault("MASTER_ADDR", "127.0.0.1")
    env.setdefault("MASTER_PORT", "29511")
    return int(env["RANK"]), int(env["WORLD_SIZE"])


def spirals(classes, per_class, turns, noise, seed):
    """Interleaved spiral arms, one per class, making `turns` half turns (as the C++
    example's), with noise growing with the radius; deterministic for a seed."""
    g = torch.Generator().manual_seed(seed)
    xs, ys = [], []
    for c in range(classes):
        radius = torch.arange(1, per_class + 1, dtype=torch.float32) / per_class
        angle = turns * math.pi * radius + 2 * math.pi * c / classes
        points = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], dim=1)
        xs.append(points + noise * radius.unsqueeze(1) * torch.randn(per_class, 2, generator=g))
        ys.append(torch.full((per_class,), c, dtype=torch.long))
    x, y = torch.cat(xs), torch.cat(ys)
    order = torch.randperm(len(y), generator=g)
    return x[order], y[order]


def model_of(hp, classes):
    activations = {"tanh": nn.Tanh, "relu": nn.ReLU, "gelu": nn.GELU, "sigmoid": nn.Sigmoid}
    if hp.model.activation not in activations:
        raise ValueError(f"model.activation: expected one of {sorted(activations)}, "
                         f"got {hp.model.activation!r}")
    layers, width_in = [], 2
    for width in hp.model.widths:
        layers += [nn.Linear(width_in, width), activations[hp.model.activation]()]
        if hp.model.dropout:
            layers.append(nn.Dropout(hp.model.dropout))
        width_in = width
    layers.append(nn.Linear(width_in, classes))
    return nn.Sequential(*layers)


def optimizer_of(hp, parameters):
    o = hp.optimizer
    if o.name == "adam":
        return torch.optim.Adam(parameters, lr=o.lr, betas=o.betas, weight_decay=o.weight_decay)
    if o.name == "sgd":
        return torch.optim.SGD(parameters, lr=o.lr, momentum=0.9, weight_decay=o.weight_decay)
    raise ValueError(f"optimizer.name: expected adam or sgd, got {o.name!r}")


def factor(schedule, epoch):
    """The learning-rate factor of an epoch: the last (first epoch, factor) at or before it."""
    out = 1.0
    for first, f in schedule:
        if epoch >= first:
            out = f
    return out


def last_checkpoint(log_dir):
    names = sorted(n for n in os.listdir(log_dir)
                   if n.startswith("checkpoint-epoch-") and n.endswith(".pt"))
    return os.path.join(log_dir, names[-1]) if names else None


def save_checkpoint(path, state):
    """Atomically: a killed process leaves the previous checkpoint or this one, whole."""
    temporary = path + ".tmp"
    torch.save(state, temporary)
    with open(temporary, "rb") as f:
        os.fsync(f.fileno())
    os.replace(temporary, path)


def progress(epoch, epochs, loss, accuracy, val_accuracy, lr, seconds):
    width = 24
    done = int(width * epoch / epochs)
    bar = "#" * done + "." * (width - done)
    line = (f"epoch {epoch:3d}/{epochs} [{bar}] loss {loss:.4f} acc {100 * accuracy:5.1f}% "
            f"| validation acc {100 * val_accuracy:5.1f}% | lr {lr:.1e} | {seconds:.1f} s")
    print(line, flush=True)


def main():
    rank, world = launcher_environment()
    # The overrides (section.key=value) come out of sys.argv first; the rest is ours.
    overrides = hparams.take_overrides()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", nargs="?", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--stop-after", type=int, default=None,
                        help="stop after this epoch with a checkpoint (as a preemption would)")
    args = parser.parse_args()
    hp = hparams.HParams(args.project, overrides=overrides, name="train")
    info = hparams.run_info(hp)
    torch.manual_seed(hp.run.seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    dist.init_process_group("gloo", rank=rank, world_size=world)

    x, y = spirals(hp.data.classes, hp.data.points_per_class, hp.data.turns, hp.data.noise,
                   hp.run.seed)
    n_val = int(len(y) * hp.data.validation_fraction)
    x_val, y_val, x_train, y_train = x[:n_val], y[:n_val], x[n_val:], y[n_val:]
    model = DistributedDataParallel(model_of(hp, hp.data.classes))
    optimizer = optimizer_of(hp, model.parameters())
    base_lr = hp.optimizer.lr
    loss_fn = nn.CrossEntropyLoss()

    start_epoch = 0
    checkpoint = last_checkpoint(info.log_dir)
    if checkpoint is not None:
        state = torch.load(checkpoint)
        model.module.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch = state["epoch"]
        if rank == 0:
            print(f"Resuming from {os.path.basename(checkpoint)} (epoch {start_epoch} of "
                  f"{hp.run.epochs})", flush=True)
    elif rank == 0:
        parameters = sum(p.numel() for p in model.parameters())
        print(f"{parameters} parameters; {len(y_train)} training and {n_val} validation points "
              f"in {hp.data.classes} classes; {world} processes", flush=True)

    metrics = os.path.join(info.log_dir, "metrics.csv")
    if rank == 0:
        # Rows past the checkpoint (a process killed between the two) are redone.
        rows = []
        if start_epoch > 0 and os.path.exists(metrics):
            with open(metrics) as f:
                rows = [r for r in f.read().splitlines()[1:] if int(r.split(",")[0]) <= start_epoch]
        with open(metrics, "w") as f:
            f.write("epoch,loss,accuracy,validation_accuracy,lr\n" + "".join(r + "\n" for r in rows))
    if start_epoch >= hp.run.epochs:
        if rank == 0:
            print(f"Training is complete ({hp.run.epochs} epochs); metrics.csv in {info.log_dir}",
                  flush=True)
        dist.destroy_process_group()
        return
    for epoch in range(start_epoch, hp.run.epochs):
        started = time.time()
        lr = base_lr * factor(hp.train.schedule, epoch)
        for group in optimizer.param_groups:
            group["lr"] = lr
        # Each process takes its own share of an epoch's shuffled order (seed and epoch).
        order = torch.randperm(len(y_train), generator=torch.Generator().manual_seed(
            hp.run.seed * 1000 + epoch))
        share = order[rank::world]
        model.train()
        total, correct, loss_sum = 0, 0, 0.0
        for b in range(0, len(share) - hp.train.batch_size + 1, hp.train.batch_size):
            batch = share[b:b + hp.train.batch_size]
            optimizer.zero_grad()
            logits = model(x_train[batch])
            loss = loss_fn(logits, y_train[batch])
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(batch)
            correct += (logits.argmax(1) == y_train[batch]).sum().item()
            total += len(batch)
        sums = torch.tensor([loss_sum, correct, total], dtype=torch.float64)
        dist.all_reduce(sums)
        model.eval()
        with torch.no_grad():
            val_accuracy = (model.module(x_val).argmax(1) == y_val).float().mean().item()
        loss_mean, accuracy = (sums[0] / sums[2]).item(), (sums[1] / sums[2]).item()
        if rank == 0:
            progress(epoch + 1, hp.run.epochs, loss_mean, accuracy, val_accuracy, lr,
                     time.time() - started)
            with open(metrics, "a") as f:
                f.write(f"{epoch + 1},{loss_mean:.6f},{accuracy:.6f},{val_accuracy:.6f},{lr:.3e}\n")
            last = epoch + 1 == hp.run.epochs
            if (epoch + 1) % hp.run.checkpoint_every == 0 or last:
                save_checkpoint(os.path.join(info.log_dir, f"checkpoint-epoch-{epoch + 1:04d}.pt"),
                                {"model": model.module.state_dict(),
                                 "optimizer": optimizer.state_dict(), "epoch": epoch + 1})
        dist.barrier()
        if args.stop_after is not None and epoch + 1 >= args.stop_after:
            break
    if rank == 0:
        print(f"Done: validation accuracy {100 * val_accuracy:.1f}% after {epoch + 1} epochs. "
              f"Checkpoints and metrics.csv in {info.log_dir}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
