"""Rows of the access table (tests/core/test_access.py) for the mediation module's URLs.

Same shape as there: (url name, kwargs or callable(user) -> kwargs, method, allowed principals).
"""

ACCESS_ROWS: list[tuple] = []
