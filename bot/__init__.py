"""Composition root: settings, logging, the application factory and the command line."""
