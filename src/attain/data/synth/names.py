"""Word lists for readable made-up names (people, companies, stores)."""

from __future__ import annotations

import numpy as np

FIRST = (
    "Ana Ben Chloe Dev Elif Femi Grace Hugo Ines Jon Kai Lena Marco Nia Omar Priya Quinn Rosa "
    "Sam Tara Umar Vera Wes Xin Yara Zoe Aleks Bruno Carla Dana Emil Farah Gus Hana Ivan Jade "
    "Kofi Lars Maya Nils Olga Pavel Rita Sven Tomas Uma Vik Wren Yusuf Zara"
).split()
LAST = (
    "Adams Baker Costa Diaz Evans Fischer Garcia Hughes Ivanova Jensen Khan Lopez Moreau Novak "
    "Okafor Patel Quist Rossi Silva Tanaka Ueda Varga Weber Xu Young Zhang Berg Clarke Dubois "
    "Engel Ferreira Gupta Hansen Ito Jovanovic Kowalski Larsen Meyer Nagy Olsen Petrov Reyes"
).split()
COMPANY_A = (
    "Blue North Apex Bright Cedar Delta Ember Fjord Granite Harbor Iron Juniper Keystone Lumen "
    "Maple Nimbus Orbit Pine Quartz River Summit Tidal Union Vertex Willow Zenith"
).split()
COMPANY_B = "Systems Labs Foods Logistics Health Capital Works Retail Energy Media Metals Partners".split()
CITIES = (
    "Austin Boston Chicago Denver Seattle Toronto Atlanta Portland Dallas Miami Berlin Paris "
    "Madrid Milan Lyon Munich Vienna Dublin Lisbon Prague London Leeds Bristol Glasgow Manchester"
).split()


def person_names(rng: np.random.Generator, count: int) -> list[str]:
    first = rng.integers(0, len(FIRST), count)
    last = rng.integers(0, len(LAST), count)
    return [f"{FIRST[a]} {LAST[b]}" for a, b in zip(first, last, strict=True)]


def company_names(rng: np.random.Generator, count: int) -> list[str]:
    a = rng.integers(0, len(COMPANY_A), count)
    b = rng.integers(0, len(COMPANY_B), count)
    return [f"{COMPANY_A[x]} {COMPANY_B[y]} {i + 1}" for i, (x, y) in enumerate(zip(a, b, strict=True))]
