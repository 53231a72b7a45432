"""The ``planner`` command: solve, check and validate scenarios, print schemas.

Results go to stdout, progress and errors to stderr. Exit codes: 0 success, 1 a plan that
is infeasible or fails its check, 2 an input error (printed as ``error: <file>: ...``
lines, never a traceback).

Adding a subcommand: write ``_configure_<name>(parser)`` and ``_run_<name>(args) -> int``
(or import them from their own module) and add one :class:`Command` to ``_COMMANDS``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planner.convert import HELP as CONVERT_HELP
from planner.convert import configure_convert, run_convert
from planner.district.cli import HELP as ESTIMATE_HELP
from planner.district.cli import configure_estimate, run_estimate
from planner.io import InputError, load_plan, load_scenario, write_plan
from planner.io.plan_io import PLAN_SUFFIXES, VIOLATION_SUFFIXES, write_violations
from planner.model import Plan, Scenario
from planner.whatif.cli import (
    COMPARE_HELP,
    NEED_HELP,
    configure_compare,
    configure_need,
    run_compare,
    run_need,
)

if TYPE_CHECKING:
    from planner.solvers import Progress

#: Exit codes.
EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2

#: Least seconds between two progress lines.
PROGRESS_INTERVAL_S = 0.5


def _err(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


class _ProgressPrinter:
    """Prints solver progress to stderr, at most one line per interval unless the phase changes."""

    def __init__(self, interval_s: float = PROGRESS_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self._last_time = -float("inf")
        self._last_phase = ""

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if progress.phase == self._last_phase and now - self._last_time < self.interval_s:
            return
        self._last_time, self._last_phase = now, progress.phase
        parts = [f"[{progress.elapsed_s:7.1f} s]", f"{progress.phase:<10}"]
        if progress.objective is not None:
            parts.append(f"目标 objective {progress.objective:,}")
        if progress.bound is not None:
            parts.append(f"下界 bound {progress.bound:,}")
        if progress.gap is not None:
            parts.append(f"差距 gap {100 * progress.gap:.2f}%")
        print("  ".join(parts).rstrip(), file=sys.stderr, flush=True)


def _verdict_lines(scenario: Scenario, plan: Plan) -> tuple[list[str], bool]:
    """Check ``plan`` from scratch; the report lines and whether it passed."""
    from planner.check import check

    result = check(scenario, plan)
    lines = [result.summary()]
    stated = plan.stats.objective
    same = stated is None or stated == result.objective
    if stated is None:
        lines.append(
            f"重算目标值 recomputed objective {result.objective}（方案未给出 none stated）"
        )
    else:
        word = "一致 equal" if same else "不一致 DIFFERENT"
        lines.append(
            f"重算目标值 recomputed objective {result.objective}，方案 plan {stated}：{word}"
        )
    return lines, result.feasible and same


# ---------------------------------------------------------------- solve
def _configure_solve(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", type=Path, help="scenario file (.yaml, .json, .xlsx, Curtois .txt)")
    p.add_argument("--time-limit", type=float, default=30.0, metavar="S", help="seconds (30)")
    p.add_argument("--workers", type=int, default=2, metavar="N", help="CP-SAT workers (2)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (0)")
    p.add_argument(
        "--out",
        type=Path,
        action="extend",
        nargs="+",
        default=[],
        metavar="FILE",
        help="write the plan to FILE (.json, .csv roster, .xlsx workbook); repeatable",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.add_argument(
        "--deterministic",
        action="store_true",
        help="bound the search by work done, not the clock: same seed and workers, same plan",
    )
    p.add_argument(
        "--target-gap",
        type=float,
        default=0.0,
        metavar="G",
        help="stop once the relative gap is at most G (e.g. 0.005)",
    )
    p.add_argument(
        "--lexicographic",
        action="store_true",
        help="coverage first, then the burden on people, then wishes (no trading between them)",
    )
    p.add_argument(
        "--tolerance",
        type=float,
        default=None,
        metavar="T",
        help="with --lexicographic: a level may become up to T (a fraction, e.g. 0.01) worse "
        "while the later ones are optimised (default: the scenario's, else 0)",
    )


def _objective_options(scenario: Scenario, args: argparse.Namespace) -> Scenario:
    """The scenario with the objective options given on the command line."""
    update: dict[str, object] = {}
    if args.lexicographic:
        update["lexicographic"] = True
    if args.tolerance is not None:
        if not 0.0 <= args.tolerance <= 1.0:
            raise InputError("--tolerance", ["must be between 0 and 1"])
        update["tolerance"] = args.tolerance
    if not update:
        return scenario
    return scenario.model_copy(update={"objective": scenario.objective.model_copy(update=update)})


def _run_solve(args: argparse.Namespace) -> int:
    bad = [str(out) for out in args.out if out.suffix.lower() not in PLAN_SUFFIXES]
    if bad:
        raise InputError(", ".join(bad), [f"output must end in {', '.join(PLAN_SUFFIXES)}"])
    scenario = _objective_options(load_scenario(args.scenario), args)
    from planner.solvers import SolveParams, solve

    params = SolveParams(
        time_limit_s=args.time_limit,
        workers=args.workers,
        seed=args.seed,
        progress=None if args.quiet else _ProgressPrinter(),
        deterministic=args.deterministic,
        target_gap=args.target_gap,
    )
    plan = solve(scenario, params)
    if plan.stats.status.value == "infeasible":
        _err("不可行：以下规则相互冲突 infeasible: these rules conflict:")
        _err(*(f"  - {line}" for line in plan.stats.conflicts or ["(no detail)"]))
        return EXIT_FAILED
    if plan.stats.status.value == "unknown" and not plan.assignments:
        _err("时限内未找到方案 no plan found within the time limit")
        return EXIT_FAILED
    for out in args.out:
        write_plan(plan, scenario, out)
        _err(f"已写入 wrote {out}")
    from planner.report import summary_text

    lines, passed = _verdict_lines(scenario, plan)
    print(summary_text(plan, scenario))
    print("检查 check: " + "\n".join(lines))
    return EXIT_OK if passed else EXIT_FAILED


# ---------------------------------------------------------------- check
#: Violations ``check`` lists one per line; with more, it lists this many groups of them.
CHECK_LISTED = 30


def _configure_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", type=Path, help="scenario file")
    p.add_argument("plan", type=Path, help="plan.json written by 'planner solve'")
    p.add_argument(
        "--all",
        action="store_true",
        help=f"list every violation (default: each if at most {CHECK_LISTED}, else grouped "
        "by rule and post or person)",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write every violation to FILE (.csv or .xlsx), one row each",
    )


def _run_check(args: argparse.Namespace) -> int:
    if args.out is not None and args.out.suffix.lower() not in VIOLATION_SUFFIXES:
        raise InputError(args.out, [f"output must end in {', '.join(VIOLATION_SUFFIXES)}"])
    scenario = load_scenario(args.scenario)
    plan = load_plan(args.plan)
    if plan.scenario != scenario.name:
        _err(f"warning: plan is for scenario '{plan.scenario}', not '{scenario.name}'")
    from planner.check import check
    from planner.report.violations import violation_line, violation_lines

    result = check(scenario, plan)
    if args.all:
        print(*(violation_line(v) for v in result.violations), sep="\n")
    elif result.violations:
        print(*violation_lines(result, CHECK_LISTED), sep="\n")
        if len(result.violations) > CHECK_LISTED and args.out is None:
            _err("--all 逐条列出 lists each violation; --out FILE.xlsx 写入表格 writes them")
    if args.out is not None:
        write_violations(result, scenario, args.out)
        _err(f"已写入 wrote {args.out}")
    lines, passed = _verdict_lines(scenario, plan)
    print("\n".join(lines))
    return EXIT_OK if passed else EXIT_FAILED


# ---------------------------------------------------------------- validate
def _configure_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", type=Path, help="scenario file")


def _run_validate(args: argparse.Namespace) -> int:
    s = load_scenario(args.scenario)
    print(f"OK: {len(s.people)} people, {len(s.posts)} posts, {s.horizon.days} days")
    return EXIT_OK


# ---------------------------------------------------------------- schema
def _configure_schema(p: argparse.ArgumentParser) -> None:
    p.add_argument("--plan", action="store_true", help="the schema of a plan, not a scenario")


def _run_schema(args: argparse.Namespace) -> int:
    model = Plan if args.plan else Scenario
    print(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def _configure_serve(p: argparse.ArgumentParser) -> None:
    from api.serve import configure

    configure(p)


def _run_serve(args: argparse.Namespace) -> int:
    from api.serve import run

    return run(args)


# ---------------------------------------------------------------- registry
@dataclass(frozen=True)
class Command:
    """A subcommand: its name, one-line help, argument set-up and runner (returns the exit code)."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


_COMMANDS: list[Command] = [
    Command("solve", "solve a scenario and write the plan", _configure_solve, _run_solve),
    Command("check", "re-verify a plan against its scenario", _configure_check, _run_check),
    Command(
        "validate", "check a scenario file for input errors", _configure_validate, _run_validate
    ),
    Command(
        "schema", "print the JSON Schema of a scenario (or plan)", _configure_schema, _run_schema
    ),
    Command("serve", "run the HTTP service", _configure_serve, _run_serve),
    Command("estimate", ESTIMATE_HELP, configure_estimate, run_estimate),
    Command("convert", CONVERT_HELP, configure_convert, run_convert),
    Command("compare", COMPARE_HELP, configure_compare, run_compare),
    Command("need", NEED_HELP, configure_need, run_need),
]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="planner", description="街道疫情防控人员排班 Workforce planning for street offices."
    )
    subs = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for cmd in _COMMANDS:
        sub = subs.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        cmd.configure(sub)
        sub.set_defaults(run=cmd.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``planner`` command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except InputError as exc:
        _err(*(f"error: {exc.source}: {line}" for line in exc.errors))
        return EXIT_INPUT
    except OSError as exc:
        _err(f"error: {exc.filename or ''}: {exc.strerror or exc}")
        return EXIT_INPUT
    return code


if __name__ == "__main__":
    sys.exit(main())
