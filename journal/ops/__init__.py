"""Running the site rather than the journal: backups and restores, logs, database upkeep."""
