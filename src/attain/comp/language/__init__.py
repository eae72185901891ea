"""The plan language: YAML -> typed plans; expressions parsed, type-checked, compiled to Ibis."""

from __future__ import annotations

from attain.comp.language.compile import CompiledPlans, Schemas, compile_plans
from attain.comp.language.load import load_plans
from attain.comp.language.model import Assignment, Component, CreditRule, Draw, Measure, Plan
from attain.comp.language.parser import parse_expression

__all__ = [
    "Assignment",
    "CompiledPlans",
    "Component",
    "CreditRule",
    "Draw",
    "Measure",
    "Plan",
    "Schemas",
    "compile_plans",
    "load_plans",
    "parse_expression",
]
