"""Scenario files into the scenario model: safe YAML, the format, the expression language."""
