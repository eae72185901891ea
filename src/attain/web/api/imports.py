"""/imports: upload a file, get its validation report (nothing written), confirm to write it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, UploadFile

from attain.access import NotVisible, actor_of, require
from attain.data.ingest import ImportFailed, ImportReport
from attain.web import imports
from attain.web.api.models import ImportReportOut
from attain.web.deps import ApiCsrf, StateDep, ViewerDep
from attain.web.problems import problem_responses

router = APIRouter(prefix="/imports", tags=["imports"])

Table = Annotated[str, Path(max_length=64, pattern=r"^[a-z_][a-z0-9_]*$")]


class _Failed(Exception):
    pass


def report_out(r: ImportReport) -> ImportReportOut:
    return ImportReportOut(
        table=r.table,
        file=r.file,
        rows=r.rows,
        inserted=r.inserted,
        updated=r.updated,
        unchanged=r.unchanged,
        rejected=r.rejected,
        dry_run=r.dry_run,
        problems=[str(p) for p in r.problems],
        summary=r.summary(),
    )


@router.post(
    "/{table}",
    response_model=ImportReportOut,
    dependencies=[ApiCsrf],
    responses=problem_responses(400),
)
def import_upload(
    table: Table,
    file: Annotated[UploadFile, File()],
    viewer: ViewerDep,
    state: StateDep,
    confirm: bool = False,
    mapping: Annotated[str | None, Query(max_length=64)] = None,
) -> ImportReportOut:
    """Check a file for `table` (`confirm=false`: the report, nothing written) or import it,
    with a saved mapping (`mapping=NAME`) or matching columns by name."""
    require(viewer, "imports")
    from fastapi import HTTPException

    try:
        staged = imports.stage_mapped(
            state.url,
            table,
            file.filename or "upload.csv",
            file.file.read(),
            mapping or None,
            user=viewer.username,
        )
        if not confirm:
            try:
                return report_out(imports.check(state.url, staged))
            finally:
                imports.discard(state.url, staged.id)
        return report_out(imports.confirm(state.url, staged.id, actor_of(viewer), viewer.username))
    except ImportFailed as exc:
        raise HTTPException(400, str(exc)) from None
    except LookupError as exc:
        raise NotVisible(str(exc)) from None
