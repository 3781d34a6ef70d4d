"""Signal receivers of the network app (kept few and obvious)."""
