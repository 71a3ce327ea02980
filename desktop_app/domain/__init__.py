"""Business rules: standard library only (no Qt, no peewee, no reportlab)."""
