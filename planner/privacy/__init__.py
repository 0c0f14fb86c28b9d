"""Privacy: retention and purging, a person's own data, and the public statements."""
