"""Slack surfaces and the `deckbot` command line: the only package that knows Slack."""
