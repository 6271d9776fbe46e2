"""Problem API (design.md Contract): cases (+ POST {id}/<action>/)."""


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
