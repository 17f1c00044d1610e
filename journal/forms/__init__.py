"""What readers fill in: the FilterSets behind every filtered list, and their widgets."""
