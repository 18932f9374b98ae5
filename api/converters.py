"""Path converters of the api app (registered in ApiConfig.ready)."""


class IdConverter:
    """Primary keys as they fit a 64-bit column; longer numbers are simply not found (a bigger
    one would overflow SQLite's integer and fail instead of matching nothing)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
