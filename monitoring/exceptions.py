"""Errors the monitoring domain raises. Callers (API, pages) map them to responses."""

QUEUE_UNAVAILABLE = (
    "The task queue (Redis) is unavailable; the run was not queued. Try again later."
)


class BrokerUnavailable(Exception):
    """The Celery broker could not be reached, so a run could not be queued. Nothing was left
    waiting for a worker: either no run was recorded at all, or (when the broker went away
    between the check and the publish) the run was recorded as failed with this reason."""

    def __init__(self, message: str = QUEUE_UNAVAILABLE) -> None:
        super().__init__(message)
