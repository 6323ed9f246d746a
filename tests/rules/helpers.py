"""Assertions shared by the rule tests."""

import pytest
from django.core.exceptions import ValidationError


def error_of(func, *args, **kwargs) -> ValidationError:
    """The ValidationError ``func`` raises; every message is a non-empty string."""
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    error = info.value
    assert error.messages and all(isinstance(m, str) and m.strip() for m in error.messages)
    return error


def text_of(error: ValidationError) -> str:
    return " ".join(error.messages)
