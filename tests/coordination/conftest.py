
from tests.cases.conftest import media_root  # noqa: F401  (uploads stay in a temporary directory)


