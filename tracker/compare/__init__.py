"""Side-by-side comparison of cities for reviewers: matrix, like-for-like flags and scores."""
