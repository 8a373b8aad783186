"""Per-user sliding-window rate limit, so one person cannot monopolise the answer engine."""

from __future__ import annotations

import time
from collections import defaultdict, deque


class UserRateLimiter:
    """Allow at most `limit` requests per user in any `window_s`-second window."""

    def __init__(self, limit: int, *, window_s: float = 60.0, clock=time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._calls: defaultdict[str, deque[float]] = defaultdict(deque)

    def allow(self, user_id: str) -> bool:
        """Record a request by `user_id` and say whether it is within the limit."""
        now = self._clock()
        calls = self._calls[user_id]
        while calls and calls[0] <= now - self.window_s:
            calls.popleft()
        if len(calls) >= self.limit:
            return False
        calls.append(now)
        return True

    def retry_after(self, user_id: str) -> int:
        """Seconds until `user_id` may ask again (0 when allowed now)."""
        calls = self._calls.get(user_id)
        if not calls or len(calls) < self.limit:
            return 0
        return max(1, int(calls[0] + self.window_s - self._clock()) + 1)
