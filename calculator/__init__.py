"""Medical-tourism cost and risk calculator: pure Python in layers (cli -> present -> storage -> model)."""
