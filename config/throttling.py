"""The API's rate limits: DRF's user and anonymous throttles (same scopes, rates and cache keys),
counting requests per window instead of logging each one.

Why not DRF's own: `SimpleRateThrottle` keeps a list with one timestamp per request of the
window, reads it, trims it and writes it back on every request. The cost grows with the rate a
client reaches (about 40 µs a request for a client at the default 1,200 a minute, measured in
docs/benchmarks.md), and two processes writing the list at once lose each other's entries. Here
a window opens at a client's first request and lasts the rate's period; each request adds one
to the window's counter (an atomic increment on Redis): a constant cost, and no lost counts.

Referenced from settings.REST_FRAMEWORK by dotted path (the apps never import config).
"""

from __future__ import annotations

from typing import Any

from rest_framework import throttling


class WindowCountThrottle(throttling.SimpleRateThrottle):
    """At most `num_requests` in a window of `duration` seconds that opens at the first request
    (the window's start is the value under DRF's cache key; the count is under a key that
    names that start, so a new window never inherits an old count)."""

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        self.started = self.cache.get(self.key)
        if self.started is None or self.now - self.started >= self.duration:
            # A new window (the entry's expiry in the cache only clears what nobody uses).
            self.started = self.now
            self.cache.set(self.key, self.started, self.duration)
        counter = f"{self.key}:{self.started!r}"
        if self.cache.add(counter, 1, self.duration):
            count = 1
        else:
            try:
                count = self.cache.incr(counter)
            except ValueError:  # it expired between the two calls: this request opens it again
                self.cache.add(counter, 1, self.duration)
                count = 1
        return count <= self.num_requests

    def wait(self) -> float:
        """Seconds until the window closes (DRF sends it, rounded up, as Retry-After)."""
        return max(0.0, self.duration - (self.now - self.started))


class UserRateThrottle(WindowCountThrottle, throttling.UserRateThrottle):
    """Per signed-in user (scope "user"); anonymous requests are counted by address."""


class AnonRateThrottle(WindowCountThrottle, throttling.AnonRateThrottle):
    """Per client address, for anonymous requests only (scope "anon")."""
