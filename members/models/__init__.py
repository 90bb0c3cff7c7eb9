from members.models.imports import ImportBatch
from members.models.pairings import Pairing, PairingMember
from members.models.people import PartyMember, Position
from members.models.points import LiaisonContact, LiaisonPoint
from members.models.posts import STANDARD_POSTS, Post, PostAssignment, PostReport
from members.models.units import UnitPairing, UnitPairingRecord

__all__ = [
    "STANDARD_POSTS",
    "ImportBatch",
    "LiaisonContact",
    "LiaisonPoint",
    "Pairing",
    "PairingMember",
    "PartyMember",
    "Position",
    "Post",
    "PostAssignment",
    "PostReport",
    "UnitPairing",
    "UnitPairingRecord",
]
