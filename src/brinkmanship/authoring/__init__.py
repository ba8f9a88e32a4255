"""The writer's tools: warnings, explore, playtest, graph, scaffold, lint."""
