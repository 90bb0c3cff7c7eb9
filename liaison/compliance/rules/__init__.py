"""One module per app, each registering that app's rules (import order = the table's order)."""
