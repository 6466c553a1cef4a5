"""What readers are sent, by handlers and the digest job alike, below both: neither imports
the other, and each imports this."""
