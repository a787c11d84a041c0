"""Kept so ``from hearth.search._proposer import Candidate, propose_offline`` still works.

The proposers live in `hearth.search.proposers`, one module per proposer.
"""

from hearth.search.proposers import Candidate, propose_offline

__all__ = ["Candidate", "propose_offline"]
