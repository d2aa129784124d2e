"""The project's cache backend: Django's file cache, shared by every worker process without a
cache server, but cheaper to write to."""

import random

from django.core.cache.backends.filebased import FileBasedCache


class SampledCullFileCache(FileBasedCache):
    """Django's file cache lists its whole folder on every write to decide whether to cull;
    with a few hundred stored answers that listing costs more than a search over 100,000
    offers. Here one write in CULL_EVERY checks (on average), so the cache may briefly hold a
    few entries over MAX_ENTRIES; expired entries are still never served."""

    CULL_EVERY = 32

    def _cull(self) -> None:
        if random.randrange(self.CULL_EVERY) == 0:  # noqa: S311 - not for security
            super()._cull()
