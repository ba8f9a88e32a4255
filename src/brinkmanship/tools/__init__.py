"""The scenario writer's toolkit: explore, playtest, graph, schema and new.

Nothing here imports Textual: the tools drive the same pure engine the game does.
"""
