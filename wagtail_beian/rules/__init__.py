"""Pure-Python rules of the ICP filing domain (no ORM).

Public API is re-exported from :mod:`wagtail_beian.validators`.
"""
