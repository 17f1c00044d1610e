"""Writes that span several models or have side effects, one module per concern."""
