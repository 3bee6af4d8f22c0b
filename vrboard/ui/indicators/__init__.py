"""Widgets of the Indicators page."""
