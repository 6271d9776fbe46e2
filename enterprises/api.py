"""Enterprise API (design.md Contract): enterprises (+ chain), supply-links, status-reports."""


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
