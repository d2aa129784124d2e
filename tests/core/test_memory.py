"""A process's memory of recent answers forgets the least recently used first, beyond its
number of entries and its total weight."""

import threading

from teilhabe.core.memory import Memory


def test_it_keeps_the_most_recently_used_entries():
    memory = Memory(2)
    memory.put("a", 1)
    memory.put("b", 2)
    memory.get("a")  # a is now the most recently used
    memory.put("c", 3)  # three entries: b goes

    assert [key for key in "abc" if memory.get(key)] == ["a", "c"]


def test_it_keeps_within_its_weight_and_never_keeps_what_is_heavier_than_all_of_it():
    memory = Memory(10, weight=10, weigh=len)
    memory.put("a", b"1234")
    memory.put("b", b"1234")
    memory.put("a", b"12")  # replaced: weighs 2 now, 6 in all
    memory.put("c", b"1234")  # 10 in all: everything stays
    memory.put("d", b"1")  # 11: the least recently used (b) goes
    memory.put("big", b"x" * 11)

    assert [key for key in ("a", "b", "c", "d", "big") if memory.get(key)] == ["a", "c", "d"]
    memory.clear()
    memory.put("e", b"x" * 10)
    assert memory.get("e") == b"x" * 10


def test_threads_may_use_it_at_once():
    memory = Memory(50, weight=500, weigh=len)

    def work(number: int) -> None:
        for step in range(2000):
            memory.put((number, step % 80), b"x" * (step % 13))
            memory.get((number, (step * 7) % 80))

    threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    kept = [memory.get((n, s)) for n in range(4) for s in range(80)]
    assert len([value for value in kept if value is not None]) <= 50
    assert sum(len(value) for value in kept if value is not None) <= 500
