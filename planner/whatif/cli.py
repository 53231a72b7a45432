"""``planner compare`` and ``planner need``: arguments and runners for the command line."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from planner.io.errors import InputError

COMPARE_HELP = "solve every variant of a what-if spec and compare them (table and chart)"
NEED_HELP = "fewest additional people, by category and community, reaching a target coverage"


def configure_compare(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``planner compare`` to ``p``."""
    p.add_argument("spec", type=Path, help="what-if spec (.yaml/.json)")
    p.add_argument(
        "--time-limit", type=float, default=60.0, metavar="S", help="seconds per variant"
    )
    p.add_argument(
        "--workers", type=int, default=1, metavar="N", help="CP-SAT workers per variant (1)"
    )
    p.add_argument("--jobs", type=int, default=2, metavar="N", help="variants solved at once (2)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (0)")
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="output folder (default: <spec folder>/<spec name>)",
    )
    p.add_argument(
        "--plans", action="store_true", help="also write each variant's plan to <out>/plans/"
    )


def run_compare(args: argparse.Namespace) -> int:
    """Run ``planner compare``; 0 if every variant has a plan that passes its check."""
    from planner.whatif.compare import VariantResult, compare
    from planner.whatif.output import write_outputs
    from planner.whatif.spec import load_spec

    spec = load_spec(args.spec)
    out_dir = args.out or args.spec.parent / args.spec.stem
    started = time.monotonic()

    def done(r: VariantResult) -> None:
        if r.error is not None:
            print(
                f"[{time.monotonic() - started:6.0f} s] {r.name}: 错误 error: {r.error}",
                file=sys.stderr,
            )
            return
        verdict = "通过 passed" if r.check_passed else "未通过 FAILED"
        print(
            f"[{time.monotonic() - started:6.0f} s] {r.name}: 覆盖率 coverage "
            f"{r.coverage_pct:.2f}%，检查 check {verdict}",
            file=sys.stderr,
            flush=True,
        )

    try:
        plans = out_dir / "plans" if args.plans else None
        results = compare(
            args.spec, args.time_limit, args.workers, args.jobs, args.seed, done, plans
        )
    except ValueError as exc:
        raise InputError(args.spec, str(exc).splitlines()) from None
    command = (
        f"planner compare {args.spec} --time-limit {args.time_limit:g} --workers "
        f"{args.workers} --jobs {args.jobs} --seed {args.seed}"
    )
    notes = [spec.description] if spec.description else []
    notes.append(
        f"每个方案同一随机种子与时限 same seed and limits for every variant: "
        f"{args.time_limit:g} s, {args.workers} CP-SAT worker(s), seed {args.seed}. "
        f"Regenerate: `{command}`"
    )
    paths = write_outputs(results, out_dir, spec.name, notes)
    for path in paths:
        print(f"已写入 wrote {path}", file=sys.stderr)
    print((out_dir / "comparison.md").read_text(encoding="utf-8"))
    failed = [r.name for r in results if r.error is not None or not r.check_passed]
    return 1 if failed else 0


def configure_need(p: argparse.ArgumentParser) -> None:
    """Add the arguments of ``planner need`` to ``p``."""
    p.add_argument("scenario", type=Path, help="scenario file")
    p.add_argument(
        "--target-coverage",
        type=float,
        default=1.0,
        metavar="X",
        help="share of person-shifts to cover, in (0, 1] (1.0)",
    )
    p.add_argument(
        "--categories",
        nargs="+",
        metavar="CAT",
        help="categories recruits may be of, preferred in this order "
        "(default: every category on the roster, volunteers first)",
    )
    p.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="seconds per solve")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="CP-SAT workers (1)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (0)")
    p.add_argument(
        "--method", choices=("auto", "exact", "aggregate"), default="auto", help="(auto)"
    )
    p.add_argument("--no-marginal", action="store_true", help="skip the marginal values")
    p.add_argument("--out", type=Path, metavar="FILE.md", help="also write the report as markdown")


def run_need(args: argparse.Namespace) -> int:
    """Run ``planner need``; 0 if the recruits found reach the target in a checked plan."""
    from planner.io import load_scenario
    from planner.whatif.need import staffing_need
    from planner.whatif.need_report import need_markdown, need_text

    scenario = load_scenario(args.scenario)
    try:
        result = staffing_need(
            scenario,
            target=args.target_coverage,
            categories=args.categories,
            time_limit_s=args.time_limit,
            workers=args.workers,
            seed=args.seed,
            method=args.method,
            marginal=not args.no_marginal,
        )
    except ValueError as exc:
        raise InputError(args.scenario, str(exc).splitlines()) from None
    print(need_text(result, scenario))
    if args.out is not None:
        cats = f" --categories {' '.join(args.categories)}" if args.categories else ""
        command = (
            f"planner need {args.scenario} --target-coverage {args.target_coverage:g}{cats} "
            f"--time-limit {args.time_limit:g} --method {args.method}"
        )
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(need_markdown(result, scenario, command), encoding="utf-8")
        print(f"已写入 wrote {args.out}", file=sys.stderr)
    return 0 if result.reached and result.check_passed else 1
