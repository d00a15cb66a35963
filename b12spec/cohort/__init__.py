"""Cohort package."""
