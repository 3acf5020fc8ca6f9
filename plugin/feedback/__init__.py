"""Feedback: the 30-day pulse and the end-of-programme survey a workflow sends, and their results in aggregate only."""
