"""Who sees what: the one scoping mechanism, roles mapped to permissions, and masking of personal data."""
