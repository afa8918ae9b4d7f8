"""The rules engine (issue 3): dated, sourced parameters and one vectorised rule set.

Pure: imports nothing from the other safetynet apps (only safetynet.core's pure modules), no ORM.
"""
