"""Tools for developers, never loaded by the product: synthetic portfolios, the benchmarks of the
monitoring engine and of the pages and API, and the load test. Installed as a Django app only by
`devtools.settings`, which `make bench` and the benchmarks' gunicorn use."""
