"""Evaluations: forms, who was asked, responses and the summaries trekkers read."""
