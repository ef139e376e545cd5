"""Rasa dialogue policies of our own (named in bot/config.yml)."""
