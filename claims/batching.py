"""Side effects of an edit, gathered and run once for a batch of edits.

Saving a row refreshes the search text of its claims and touches the pages
that show it (claims/caching/invalidation.py). Inside `batched()`, functions marked
`@batchable` only collect the ids they are called with; when the block ends
each runs once, with every id collected, still inside the caller's
transaction. An import of many records then refreshes and touches each claim
once instead of once per row it saves.
"""

import threading
from contextlib import contextmanager
from functools import wraps

_state = threading.local()


def distinct_ids(values):
    """Distinct ids, without None, from ids or a `.values()`/`.values_list()` queryset."""
    out = set()
    for value in values:
        if isinstance(value, dict):
            value = next(iter(value.values()))
        if value is not None:
            out.add(value)
    return sorted(out)


def batchable(function):
    """`function(ids)` runs at once, or once at the end of the enclosing `batched()`."""

    @wraps(function)
    def wrapper(ids, *args, **kwargs):
        pending = getattr(_state, "pending", None)
        if pending is None:
            return function(ids, *args, **kwargs)
        pending.setdefault(function, set()).update(distinct_ids(ids))
        return None

    wrapper.run_now = function
    return wrapper


@contextmanager
def batched():
    if getattr(_state, "pending", None) is not None:  # already batching: the outer block runs them
        yield
        return
    _state.pending = {}
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    # Run in the order first called; a run may call other batchable functions,
    # which now run at once.
    for function, ids in pending.items():
        function(sorted(ids))
