"""Fit the few thresholds that combine the fact rules with the stance model (``Calibration``).

    python training/calibrate.py [--shared ../shared] [--dry-run] [--seed-floor F]
    python training/calibrate.py --grounded [--dry-run]     # the thresholds for grounded checks

Fitted only on tuning data, in three domains:
- news: the 40 seed dev claims over the bundled sources, pooled with the odd-numbered half of the project's own
  fresh claims about them (``benchmarks/fresh-claims.jsonl``; the even-numbered half is kept to check the fit);
- Wikipedia: the calibration half of WiCE dev (the claims ``build_pairs.in_calibration_half`` keeps out of
  training) against their own cited pages;
- science: SciFact train against the abstracts each claim cites (the model learned from its rationale sentences,
  so this term trusts the model somewhat too much).
All three are on the left of shared/benchmarks/SPLITS.md (the fresh claims are not in it: they are ours). The
objective is the mean of news accuracy, WiCE dev balanced accuracy (supported vs not) and SciFact train macro-F1, so
that no threshold fits one kind of text only. The model's probabilities sit at different levels in each (README,
"Known limits"); the fresh claims joined the news term because the seed dev claims alone, which the fact rules were
written for, rewarded whatever left the rules alone. Writes the chosen values and their scores into
factcheck/data/stance/stance.json.

``--grounded`` fits the thresholds for grounded checks (a claim checked against the documents it names:
``sources`` in a claims file, ``check --source``), written as ``calibration_grounded``: the mean of WiCE dev
(calibration half) BAcc and the macro-F1 of the odd-numbered half of SciFact train, both grounded checks. The
even-numbered half of SciFact train is scored as not fitted on, and so are the seed dev and fresh tuning claims
that cite evidence (supported or contradicted), each checked against its evidence documents: the thresholds
are kept only where neither falls against the archive thresholds (README, "Grounded checks").

``--seed-floor F`` fits for the two larger sets instead: the mean of WiCE dev BAcc and SciFact train macro-F1 among
the settings that keep seed dev accuracy at or above F. It is how the domain dependence of the thresholds was
measured: what suits Wikipedia and science claims costs news claims.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from accuracy import even_numbered  # noqa: E402
from build_pairs import in_calibration_half  # noqa: E402

from factcheck.api import clean_claim, decide, known_sources, model_probs, open_index, query_encoder_for
from factcheck.atomic import assemble, gather_parts
from factcheck.evaluate import balanced_accuracy, load_claims, scores
from factcheck.judge.combine import Calibration
from factcheck.judge.stance_model import MODEL_DIR

ROOT = Path(__file__).resolve().parents[1]
GRID = {  # 1.01: never (a probability cannot reach it)
    "entail": [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01],
    "contradict": [0.8, 0.9, 0.95, 1.01],
    "neutral_veto": [0.7, 0.8, 0.9, 1.01],
    "date_neutral_veto": [0.6, 0.7, 0.8, 0.9, 1.01],
    "entail_veto": [0.95, 1.01],
    "soft_rules": [True],  # False (rules on actors, places and polarity yield to the model) was never chosen
    "min_score": [0.0, 0.4, 0.5, 0.6],
}


def gathered(claims_file: Path, sources: Path, index: Path, keep=lambda item: True):  # type: ignore[no-untyped-def]
    """The claims, their judge queries (compound claims split, as ``factcheck check`` does), cases and the
    model's probabilities: everything but the thresholds, computed once."""
    items = [it for it in load_claims(claims_file) if keep(it)]
    indexer, encoder = query_encoder_for(index)
    snapshot, _ = open_index(sources, index, encoder=indexer)
    try:
        restrict = [known_sources(snapshot, it.sources) if it.sources else None for it in items]
        queries, cases = gather_parts(
            snapshot,
            encoder,
            [clean_claim(it.claim) for it in items],
            as_of=[it.as_of for it in items],
            restrict=restrict if any(restrict) else None,
        )
        known = snapshot.store.sources()
    finally:
        snapshot.close()
    return items, (queries, cases, known), model_probs(cases)


def verdicts(items, gathered_cases, probs, **how):  # type: ignore[no-untyped-def]
    queries, cases, known = gathered_cases
    return assemble([it.claim for it in items], queries, decide(cases, probs, **how), known)


def scifact_train(shared: Path, dest: Path) -> Path:
    """SciFact train staged for an oracle-abstract check: each claim restricted to the abstracts it cites."""
    claims = dest / "claims.jsonl"
    if claims.exists():
        return claims
    corpus = dest / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    bench = shared / "benchmarks" / "scifact"
    rows = []
    for line in (bench / "claims_train.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        row["sources"] = [d for d in row["cited_doc_ids"] if (bench / "corpus" / f"{d}.txt").exists()]
        for doc in row["sources"]:
            shutil.copyfile(bench / "corpus" / f"{doc}.txt", corpus / f"{doc}.txt")
        if row["sources"]:
            rows.append(row)
    tmp = claims.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    tmp.replace(claims)
    return claims


def accuracy(items, verdicts) -> float:  # type: ignore[no-untyped-def]
    return scores([it.label for it in items], [v.verdict for v in verdicts])[0]


def macro_f1(items, verdicts) -> float:  # type: ignore[no-untyped-def]
    return scores([it.label for it in items], [v.verdict for v in verdicts])[1]


def balanced(items, verdicts) -> float:  # type: ignore[no-untyped-def]
    return balanced_accuracy([it.label for it in items], [v.verdict for v in verdicts])


def in_fresh_tuning_half(claim_id: str) -> bool:
    """The fresh claims the calibration may see: the odd-numbered ones; ``benchmarks/accuracy.py`` scores the
    even-numbered rest as never fitted on."""
    return not even_numbered(claim_id)


def objective(news: float, seed: float, wice: float, sci: float, seed_floor: float | None) -> float:
    """What the grid maximises (the module docstring); -1 for a setting below the seed floor."""
    if seed_floor is None:
        return (news + wice + sci) / 3
    return (wice + sci) / 2 if seed >= seed_floor else -1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--dry-run", action="store_true", help="print the fit, do not write stance.json")
    parser.add_argument(
        "--seed-floor", type=float, help="maximise WiCE dev and SciFact train only, keeping seed dev accuracy >= this"
    )
    parser.add_argument("--grounded", action="store_true", help="fit the thresholds for grounded checks")
    args = parser.parse_args()
    if args.grounded:
        fit_grounded(args.shared, args.dry_run)
        return
    began = time.perf_counter()
    seed = gathered(args.shared / "eval" / "seed-claims.dev.jsonl", ROOT / "sources", ROOT / "index")
    fresh = gathered(
        ROOT / "benchmarks" / "fresh-claims.jsonl",
        ROOT / "sources",
        ROOT / "index",
        keep=lambda it: in_fresh_tuning_half(it.id),
    )
    wice_dir = args.shared / "benchmarks" / "wice" / "dev"
    wice = gathered(
        wice_dir / "claims.jsonl",
        wice_dir / "corpus",
        ROOT / ".cache" / "bench-index" / "wice-dev",
        keep=lambda it: in_calibration_half(it.id),
    )
    staged = scifact_train(args.shared, ROOT / ".cache" / "bench-data" / "scifact-train-oracle")
    sci = gathered(staged, staged.parent / "corpus", ROOT / ".cache" / "bench-index" / "scifact-train-oracle")
    print(
        f"gathered {len(seed[0])} seed dev + {len(fresh[0])} fresh + {len(wice[0])} WiCE dev + "
        f"{len(sci[0])} SciFact train claims in {time.perf_counter() - began:.0f} s",
        file=sys.stderr,
    )
    rules_seed = accuracy(seed[0], verdicts(seed[0], seed[1], {}, judge="rules"))
    rules_fresh = accuracy(fresh[0], verdicts(fresh[0], fresh[1], {}, judge="rules"))
    n_seed, n_fresh = len(seed[0]), len(fresh[0])
    rules_wice = balanced(wice[0], verdicts(wice[0], wice[1], {}, judge="rules"))
    rules_sci = macro_f1(sci[0], verdicts(sci[0], sci[1], {}, judge="rules"))
    best = None
    for values in itertools.product(*GRID.values()):
        cal = Calibration(**dict(zip(GRID, values, strict=True)))
        s = accuracy(seed[0], verdicts(seed[0], seed[1], seed[2], calibration=cal))
        r = accuracy(fresh[0], verdicts(fresh[0], fresh[1], fresh[2], calibration=cal))
        news = (s * n_seed + r * n_fresh) / (n_seed + n_fresh)
        w = balanced(wice[0], verdicts(wice[0], wice[1], wice[2], calibration=cal))
        f = macro_f1(sci[0], verdicts(sci[0], sci[1], sci[2], calibration=cal))
        score = objective(news, s, w, f, args.seed_floor)
        if best is None or score > best[0] + 1e-9:
            best = (score, s, r, w, f, cal)
    if best is None or best[0] < 0:
        sys.exit(f"no setting keeps seed dev accuracy at or above {args.seed_floor}")
    _, s, r, w, f, cal = best
    fit = {
        "seed_dev_accuracy": round(s, 4),
        "fresh_tuning_half_accuracy": round(r, 4),
        "wice_dev_calibration_half_bacc": round(w, 4),
        "scifact_train_macro_f1": round(f, 4),
        "rules_only": {
            "seed_dev_accuracy": round(rules_seed, 4),
            "fresh_tuning_half_accuracy": round(rules_fresh, 4),
            "wice_dev_calibration_half_bacc": round(rules_wice, 4),
            "scifact_train_macro_f1": round(rules_sci, 4),
        },
        "claims": {
            "seed_dev": n_seed,
            "fresh_tuning_half": n_fresh,
            "wice_dev_calibration_half": len(wice[0]),
            "scifact_train": len(sci[0]),
        },
    }
    print(json.dumps({"calibration": asdict(cal), "fit": fit}, indent=2))
    if not args.dry_run:
        path = MODEL_DIR / "stance.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["calibration"] = asdict(cal)
        manifest["calibration_fit"] = fit
        path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def in_grounded_fit_half(claim_id: str) -> bool:
    """The SciFact train claims the grounded thresholds are fitted on: the odd-numbered ones."""
    digits = "".join(ch for ch in claim_id if ch.isdigit())
    return int(digits or 0) % 2 == 1


def grounded_news(shared: Path, dest: Path) -> Path:
    """Seed dev and the fresh tuning half, those claims that cite evidence (supported or contradicted), each
    restricted to its evidence documents: a grounded check of news, scored and never fitted on."""
    rows = []
    for path, keep in (
        (shared / "eval" / "seed-claims.dev.jsonl", lambda _: True),
        (ROOT / "benchmarks" / "fresh-claims.jsonl", in_fresh_tuning_half),
    ):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if keep(row["id"]) and row.get("evidence") and row["label"] in ("supported", "contradicted"):
                row["sources"] = sorted({e["source"] for e in row["evidence"]})
                rows.append(row)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return dest


def fit_grounded(shared: Path, dry_run: bool) -> None:
    began = time.perf_counter()
    wice_dir = shared / "benchmarks" / "wice" / "dev"
    wice = gathered(
        wice_dir / "claims.jsonl",
        wice_dir / "corpus",
        ROOT / ".cache" / "bench-index" / "wice-dev",
        keep=lambda it: in_calibration_half(it.id),
    )
    staged = scifact_train(shared, ROOT / ".cache" / "bench-data" / "scifact-train-oracle")
    sci = gathered(staged, staged.parent / "corpus", ROOT / ".cache" / "bench-index" / "scifact-train-oracle")
    staged_news = grounded_news(shared, ROOT / ".cache" / "bench-data" / "news-grounded.jsonl")
    news = gathered(staged_news, ROOT / "sources", ROOT / "index")
    print(
        f"gathered {len(wice[0])} WiCE dev + {len(sci[0])} SciFact train + {len(news[0])} grounded news claims "
        f"in {time.perf_counter() - began:.0f} s",
        file=sys.stderr,
    )
    fit_half = [in_grounded_fit_half(it.id) for it in sci[0]]

    def half(items, found, fitted):  # type: ignore[no-untyped-def]
        keep = [i for i, f in enumerate(fit_half) if f == fitted]
        return [items[i] for i in keep], [found[i] for i in keep]

    def measure(cal: Calibration) -> dict[str, float]:
        sv = verdicts(sci[0], sci[1], sci[2], calibration=cal)
        return {
            "wice_dev_calibration_half_bacc": balanced(wice[0], verdicts(wice[0], wice[1], wice[2], calibration=cal)),
            "scifact_train_odd_macro_f1": macro_f1(*half(sci[0], sv, True)),
            "scifact_train_even_macro_f1": macro_f1(*half(sci[0], sv, False)),
            "scifact_train_even_accuracy": accuracy(*half(sci[0], sv, False)),
            "news_grounded_accuracy": accuracy(news[0], verdicts(news[0], news[1], news[2], calibration=cal)),
        }

    best = None
    for values in itertools.product(*GRID.values()):
        cal = Calibration(**dict(zip(GRID, values, strict=True)))
        w = balanced(wice[0], verdicts(wice[0], wice[1], wice[2], calibration=cal))
        f = macro_f1(*half(sci[0], verdicts(sci[0], sci[1], sci[2], calibration=cal), True))
        if best is None or (w + f) / 2 > best[0] + 1e-9:
            best = ((w + f) / 2, cal)
    assert best is not None
    cal = best[1]
    manifest = json.loads((MODEL_DIR / "stance.json").read_text(encoding="utf-8"))
    archive = Calibration.from_dict(manifest.get("calibration"))
    fit = {k: round(v, 4) for k, v in measure(cal).items()}
    fit["archive_thresholds"] = {k: round(v, 4) for k, v in measure(archive).items()}
    fit["claims"] = {
        "wice_dev_calibration_half": len(wice[0]),
        "scifact_train_odd": sum(fit_half),
        "scifact_train_even": len(fit_half) - sum(fit_half),
        "news_grounded": len(news[0]),
    }
    print(json.dumps({"calibration_grounded": asdict(cal), "fit": fit}, indent=2))
    held = ("scifact_train_even_macro_f1", "scifact_train_even_accuracy", "news_grounded_accuracy")
    if any(fit[k] < fit["archive_thresholds"][k] for k in held):
        print("not written: a set not fitted on falls against the archive thresholds", file=sys.stderr)
        return
    if not dry_run:
        path = MODEL_DIR / "stance.json"
        manifest["calibration_grounded"] = asdict(cal)
        manifest["calibration_grounded_fit"] = fit
        path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
