"""Public statements: privacy and accessibility. No login, in Dutch and English."""
