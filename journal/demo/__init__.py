"""Demo content for a new install: the articles, contributors and pictures `make run` loads."""
