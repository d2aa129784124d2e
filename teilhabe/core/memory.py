"""A process's own memory of recent answers: a locked map that forgets the least recently
used entries beyond a number of entries and, optionally, a total weight (bytes, say). Locked
because the development server and the browser tests' live server answer in threads."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class Memory:
    def __init__(
        self,
        entries: int,
        *,
        weight: int | None = None,
        weigh: Callable[[Any], int] = lambda _value: 0,
    ) -> None:
        self.entries = entries
        self.weight = weight
        self._weigh = weigh
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The value kept under `key` (now the most recently used), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep `value`; one heavier than the whole memory may hold is not kept."""
        heavy = self._weigh(value)
        if self.weight is not None and heavy > self.weight:
            return
        with self._lock:
            if key in self._items:
                self._total -= self._weigh(self._items.pop(key))
            self._items[key] = value
            self._total += heavy
            while len(self._items) > self.entries or (
                self.weight is not None and self._total > self.weight
            ):
                _key, old = self._items.popitem(last=False)
                self._total -= self._weigh(old)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._total = 0
