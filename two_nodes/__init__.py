"""Two app servers on one PostgreSQL, one Redis and one S3 server: `make two-nodes`."""
