"""Django's PostgreSQL backend with a cheaper health check (see `base`).

Selected in settings as ENGINE "config.postgresql"."""
