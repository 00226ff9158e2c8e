"""Analysis: normalise, language, relevance, classify (rules + learned model), themes; the chain."""
