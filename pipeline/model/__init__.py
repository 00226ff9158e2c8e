"""Model: training, evaluation on labelled data, the region's own labels."""
