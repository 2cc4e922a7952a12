"""PDF reports: content, rendering, report runs and background generation."""
