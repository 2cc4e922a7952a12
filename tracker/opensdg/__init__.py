"""Open SDG data repositories in: one local indicator per Open SDG indicator."""
