"""Pictures: checking and re-encoding uploads, and the renditions pages serve."""
