"""Profiles: what a person tells colleagues about themselves, who may read it, and their photo."""

from .photos import PhotoError, reencode
from .service import ProfileInput, profile_of, save_profile
from .visibility import may_see

__all__ = ["PhotoError", "ProfileInput", "may_see", "profile_of", "reencode", "save_profile"]
