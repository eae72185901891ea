"""Importing files into the store: `import_file` reads CSV, XLSX or Parquet, maps the columns,
validates every row against the data model, and upserts by primary key in one transaction.

Public surface:
- `import_file(table, path, db=..., options=ImportOptions(...))` -> `ImportReport`
- `ImportOptions`, `Formats`: how to read the file and what to do with bad rows
- `parse_map_option`, `read_mapping_file`, `merge_mappings`: mappings from `--map` and
  `--mapping` (a flag replaces the file's line for the same column)
- `MappingSpec`, `parse_spec`, `read_spec_file`: a whole mapping (columns, values, dates,
  numbers, derived columns) from YAML, `SpecError` when it cannot be used; `write_mapping`,
  `load_mapping`, `list_mappings`: named mappings (`SavedMapping`) kept in the store (saved
  by the action `attain.actions.mappings.save_mapping`)
- `ImportFailed`, `InvalidRows`, `Problem`: what went wrong, as `file:row:column: reason`
- `progress_bar`, `progress_lines`: progress to pass as `on_progress` (a bar, or log lines)
"""

from __future__ import annotations

from attain.data.ingest.importer import ImportOptions, import_file
from attain.data.ingest.mapping import merge_mappings, parse_map_option, read_mapping_file
from attain.data.ingest.problems import ImportFailed, InvalidRows, Problem, SpecError
from attain.data.ingest.progress import progress_bar, progress_lines
from attain.data.ingest.report import ImportReport
from attain.data.ingest.saved import SavedMapping, list_mappings, load_mapping, write_mapping
from attain.data.ingest.spec import MappingSpec, parse_spec, read_spec_file
from attain.data.ingest.values import Formats

__all__ = [
    "Formats",
    "ImportFailed",
    "ImportOptions",
    "ImportReport",
    "InvalidRows",
    "MappingSpec",
    "Problem",
    "SavedMapping",
    "SpecError",
    "import_file",
    "list_mappings",
    "load_mapping",
    "merge_mappings",
    "parse_map_option",
    "parse_spec",
    "progress_bar",
    "progress_lines",
    "read_mapping_file",
    "read_spec_file",
    "write_mapping",
]
