"""`attain plans ...`: the plan versions the web edits, from the command line: list, versions,
show, draft, diff, publish and simulate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from attain.cli._common import DbOption, console, fail
from attain.cli.acting import AsOption, acting

if TYPE_CHECKING:
    from attain.comp.plan_versions import PlanVersionRecord

plans_app = typer.Typer(
    name="plans",
    help="Plan versions: list, show, draft, diff, publish and simulate.",
    no_args_is_help=True,
)

PlanArg = Annotated[str, typer.Argument(help="The plan's id (see `attain plans list`).")]


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"{option} must be a date like 2027-01-31, not {text!r}")


def _version(db: str | None, plan: str, version: int | None) -> PlanVersionRecord:
    from attain.comp import plan_versions as pv
    from attain.data.store import get_engine

    found = pv.get_version(get_engine(db), plan, version)
    if found is None:
        which = f"version {version} of plan {plan!r}" if version else f"plan {plan!r}"
        fail(f"no {which} (see `attain plans versions {plan}`)")
    return found


@plans_app.command("list")
def list_(db: DbOption = None) -> None:
    """Every plan: how many versions, which one is paid, and the newest."""
    from attain.comp import plan_versions as pv
    from attain.data.store import get_engine

    out = Table("plan", "versions", "published", "newest", "status")
    for s in pv.list_plans(get_engine(db)):
        published = str(s.published) if s.published else ""
        out.add_row(s.plan, str(s.versions), published, str(s.latest), s.latest_status)
    console.print(out)


@plans_app.command("versions")
def versions(plan: PlanArg, db: DbOption = None) -> None:
    """A plan's versions, newest first: status, who saved it, when, and its note."""
    from attain.comp import plan_versions as pv
    from attain.data.store import get_engine

    found = pv.versions(get_engine(db), plan)
    if not found:
        fail(f"no plan {plan!r} (see `attain plans list`)")
    out = Table("version", "status", "by", "at", "sha256", "note", title=plan)
    for v in found:
        out.add_row(
            str(v.version),
            v.status,
            v.created_by or "",
            f"{v.created_at:%Y-%m-%d %H:%M}",
            v.sha256[:12],
            v.note or "",
        )
    console.print(out)


@plans_app.command("show")
def show(
    plan: PlanArg,
    version: Annotated[
        int | None, typer.Option("--version", min=1, help="Which version (default: newest).")
    ] = None,
    db: DbOption = None,
) -> None:
    """A version's text, as kept."""
    found = _version(db, plan, version)
    console.print(found.text, markup=False, highlight=False, soft_wrap=True, end="")


@plans_app.command("draft")
def draft(
    plan: PlanArg,
    file: Annotated[Path, typer.Argument(help="The plan's YAML, as it should be.")],
    note: Annotated[str | None, typer.Option("--note", help="What changed and why.")] = None,
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Keep FILE as the plan's new draft; a plan with errors is refused, each at its line."""
    from attain.actions import NotAllowed
    from attain.actions.plans import save_draft
    from attain.comp.plan_versions import PlanRejected
    from attain.data.store import get_engine

    if not file.is_file():
        fail(f"no such plan file: {file}")
    actor = acting(db, as_)
    text = file.read_text(encoding="utf-8")
    try:
        saved = save_draft(get_engine(db), actor, plan, text, note)
    except PlanRejected as e:
        for p in e.problems[1:]:
            console.print(f"{file}:{p.line}:{p.column}: {p.message}", markup=False)
        first = e.problems[0]
        fail(f"{file}:{first.line}:{first.column}: {first.message}")
    except NotAllowed as e:
        fail(str(e))
    console.print(f"plan {plan}: draft version {saved.version} kept (sha256 {saved.sha256[:12]})")


@plans_app.command("diff")
def diff(
    plan: PlanArg,
    old: Annotated[
        int | None, typer.Option("--from", min=1, help="Old version (default: published).")
    ] = None,
    new: Annotated[
        int | None, typer.Option("--to", min=1, help="New version (default: newest).")
    ] = None,
    db: DbOption = None,
) -> None:
    """What changed between two versions, as a unified diff."""
    from attain.comp import plan_versions as pv
    from attain.data.store import get_engine

    if old is None:
        published = pv.published(get_engine(db), plan)
        old = published.version if published else 1
    a, b = _version(db, plan, old), _version(db, plan, new)
    lines = pv.diff(a.text, b.text, f"v{a.version}", f"v{b.version}")
    if not lines:
        console.print(f"versions {a.version} and {b.version} of {plan} are the same")
    for line in lines:
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else None
        console.print(escape(line), style=style, highlight=False, soft_wrap=True)


@plans_app.command("publish")
def publish(
    plan: PlanArg,
    version: Annotated[int, typer.Argument(min=1, help="The newest draft's version.")],
    db: DbOption = None,
    as_: AsOption = None,
) -> None:
    """Publish the newest draft: the next run pays it."""
    from attain.actions import NotAllowed
    from attain.actions import plans as plan_actions
    from attain.data.store import get_engine

    actor = acting(db, as_)
    try:
        done = plan_actions.publish(get_engine(db), actor, plan, version)
    except (LookupError, plan_actions.StalePublish, NotAllowed) as e:
        fail(str(e).strip("'\""))
    console.print(f"plan {plan}: version {done.version} published; the next run pays it")


@plans_app.command("simulate")
def simulate_command(
    plan: PlanArg,
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    version: Annotated[
        int | None, typer.Option("--version", min=1, help="The draft (default: newest).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Pay the span with the published version and with the draft; nothing is kept."""
    from attain.comp import plan_versions as pv
    from attain.comp.errors import PlanError
    from attain.comp.simulate import simulate
    from attain.data.store import get_engine
    from attain.money_format import money

    span = _date(start, "--from"), _date(end, "--to")
    if span[1] < span[0]:
        fail(f"the span ends ({span[1]}) before it starts ({span[0]})")
    engine = get_engine(db)
    published = pv.published(engine, plan)
    if published is None:
        fail(f"plan {plan!r} has no published version to compare with")
    drafted = _version(db, plan, version)
    try:
        sim = simulate(engine, plan, published.text, drafted.text, *span)
    except PlanError as e:
        fail(str(e))
    title = (
        f"{plan}: v{published.version} (published) vs v{drafted.version}, {span[0]} to {span[1]}"
    )
    out = Table("payee", "published", "draft", "change", title=title)
    for p in sim.payees:
        change = money(p.change, sim.currency) if sim.comparable else ""
        out.add_row(
            p.payee,
            money(p.before, sim.published_currency),
            money(p.after, sim.currency),
            change,
        )
    console.print(out)
    total = f"total {money(sim.before, sim.published_currency)} -> {money(sim.after, sim.currency)}"
    if sim.comparable:
        total += f" ({money(sim.change, sim.currency)})"
    else:
        total += " (different currencies: no difference shown)"
    console.print(total, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(plans_app)
