"""The `attain` command line: thin commands over the modules, one file per area."""

from __future__ import annotations

import typer

from attain.cli import (
    account_commands,
    audit_commands,
    comp_commands,
    data_commands,
    demo_commands,
    forecast_call_commands,
    forecast_commands,
    pay_commands,
    pay_now_commands,
    plans_commands,
    process_commands,
    quota_commands,
    runs_commands,
    score_commands,
    staging_commands,
    web_commands,
    whatif_commands,
)
from attain.cli._common import StoreGroup, size_consoles

app = typer.Typer(
    name="attain",
    cls=StoreGroup,
    help="Revenue operations from one source of revenue data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _each_invocation() -> None:
    """Revenue operations from one source of revenue data."""
    size_consoles()


data_commands.register(app)
demo_commands.register(app)
comp_commands.register(app)
runs_commands.register(app)
quota_commands.register(app)
web_commands.register(app)
account_commands.register(app)
pay_commands.register(app)
pay_now_commands.register(app)
audit_commands.register(app)
forecast_commands.register(app)
forecast_call_commands.register(app)
whatif_commands.register(app)
plans_commands.register(app)
staging_commands.register(app)
score_commands.register(app)
process_commands.register(app)  # with `import` and `logs` (process_import_commands)

__all__ = ["app"]
