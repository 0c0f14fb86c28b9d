"""Audit trail: who viewed, exported, changed or deleted personal data. Kept apart from the data."""
