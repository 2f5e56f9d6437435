"""Every property test must run the same examples however busy the machine is.

The suite runs on shared 2-core machines whose speed varies by the hour: a Hypothesis
health check ("input generation is slow") or a deadline turns load into a failure. This
walks every test module and reads the settings each property test will run with.
"""
from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, settings

TESTS = Path(__file__).resolve().parent


def property_tests() -> Iterator[tuple[str, object]]:
    for path in sorted(TESTS.glob("test_*.py")):
        module = importlib.import_module(f"tests.{path.stem}")
        for name, member in vars(module).items():
            candidates = [(name, member)]
            if inspect.isclass(member):
                candidates = [(f"{name}.{attr}", value) for attr, value in vars(member).items()]
            for label, function in candidates:
                if getattr(function, "is_hypothesis_test", False):
                    yield f"{path.stem}::{label}", function


def effective_settings(function: object) -> settings:
    return getattr(function, "_hypothesis_internal_use_settings", settings.default)


def test_the_walk_finds_the_property_tests():
    found = dict(property_tests())
    assert "test_public_pages::TestListing.test_query_strings_are_django_urlencode_of_the_parameters" in found
    assert len(found) >= 6


def test_no_property_test_depends_on_speed():
    loose = []
    for label, function in property_tests():
        chosen = effective_settings(function)
        if chosen.deadline is not None or set(chosen.suppress_health_check) != set(HealthCheck):
            loose.append(label)
    assert loose == []


def test_every_property_test_has_a_fixed_example_budget():
    unfixed = [label for label, function in property_tests()
               if not effective_settings(function).derandomize or effective_settings(function).database is not None]
    assert unfixed == []


def test_the_check_sees_a_loose_setting():
    @settings(deadline=200, suppress_health_check=[HealthCheck.too_slow])
    def loose_test() -> None:
        """Stands for a property test written without the profile's guarantees."""

    chosen = effective_settings(loose_test)
    assert chosen.deadline is not None
    assert set(chosen.suppress_health_check) != set(HealthCheck)
