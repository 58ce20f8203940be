"""One module per resource; each exposes `RESOURCES`: (path, operations) pairs, literal paths first."""
