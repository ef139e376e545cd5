"""Tests against the real running stack (bot.serve: Rasa + action server)."""
